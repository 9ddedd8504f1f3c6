package io.poolrepos;

/** Source of monotonic nanoseconds; tests in this package swap in a manual one. */
@FunctionalInterface
interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
