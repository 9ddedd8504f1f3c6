package io.poolrepos;

/**
 * {@link Hooks} whose pause points a test sets and clears while the pool runs: each runs the
 * {@link Runnable} set for it, if any. Thread-safe.
 */
final class PausePoints implements Hooks {

    volatile Runnable beforeMarkingUnplaced;
    volatile Runnable afterMarkingUnplaced;
    volatile Runnable beforePlacing;

    @Override
    public void beforeMarkingUnplaced() {
        run(beforeMarkingUnplaced);
    }

    @Override
    public void afterMarkingUnplaced() {
        run(afterMarkingUnplaced);
    }

    @Override
    public void beforePlacing() {
        run(beforePlacing);
    }

    private static void run(Runnable pause) {
        if (pause != null) {
            pause.run();
        }
    }
}
