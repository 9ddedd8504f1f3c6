package io.poolrepos.benchmarks;

import io.poolrepos.AcquireTimeoutException;
import io.poolrepos.ConnectionAdapter;
import io.poolrepos.ConnectionPool;
import io.poolrepos.PoolRepository;
import io.poolrepos.PoolSettings;
import io.poolrepos.WaiterLimitExceededException;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The oversubscribed acquire/give-back scenario without JMH: many threads take turns on few
 * connections of one name for a fixed time, each holding its connection for a short park
 * ({@link #hold}), as a request in flight would. It prints per scenario the acquires per second, the
 * acquires that timed out or were refused, the mean time a connection was held, and the wait of an
 * acquire (p50, p99, p99.9, max). Scenarios: 8 and 64 platform threads on 8 connections and, where
 * the JDK has virtual threads (21+), 2,000 virtual threads on 32 connections; every acquire waits at
 * most 2 s.
 *
 * <p><b>Self-contained on purpose.</b> It uses only the JDK and the core's public API as it stood at
 * commit {@code d406e91} (before fair waiting), so that this one file, compiled against any build of
 * the core since, measures that build: {@code ab-oversubscribed.sh} compiles two commits' cores and
 * this file with {@code javac} and runs them alternately. It creates virtual threads by reflection so
 * that it compiles for Java 17. From the benchmarks jar it also measures commons-pool2
 * ({@code --impl cp2-fair} or {@code cp2-unfair}, through {@link CommonsPool2Waiting}, which it loads
 * by name, so that compiling it needs nothing but the core).
 *
 * <p>Arguments: {@code --impl ours|cp2-fair|cp2-unfair} (default ours), {@code --seconds N} measured
 * per scenario after {@code --warmup N} seconds (defaults 5 and 2), {@code --hold-micros N} (default
 * 20), {@code --only platform|virtual}. Both pools wait for at most 10,000 callers per name (the
 * current default; the older core's default of 256 would refuse most of 2,000 virtual threads, which
 * is not what this compares). Not thread-safe; run from {@code main}.
 */
public final class OversubscribedRun {

    static final String NAME = "backend:1";
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_WAITERS = 10_000;

    private OversubscribedRun() {
    }

    /** One scenario: how many threads of which kind on how many connections. */
    record Scenario(int threads, boolean virtual, int connections) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d %s threads on %d connections", threads,
                    virtual ? "virtual" : "platform", connections);
        }
    }

    /** What a scenario measured. */
    record Result(Scenario scenario, long acquires, long timeouts, long refused, double seconds, long meanHoldNanos,
            Waits waits) {
        double perSecond() {
            return acquires / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        String impl = option(args, "--impl", "ours");
        int seconds = Integer.parseInt(option(args, "--seconds", "5"));
        int warmup = Integer.parseInt(option(args, "--warmup", "2"));
        long holdNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(option(args, "--hold-micros", "20")));
        String only = option(args, "--only", "");
        System.out.printf(Locale.ROOT, "oversubscribed acquire/give-back: %s, hold %d µs, acquire timeout %d s, "
                + "%d s warm-up + %d s measured per scenario; %d CPUs, %s %s%n", describe(impl), holdNanos / 1_000,
                TIMEOUT.toSeconds(), warmup, seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"));
        List<Scenario> scenarios = new ArrayList<>();
        if (!only.equals("virtual")) {
            scenarios.add(new Scenario(8, false, 8));
            scenarios.add(new Scenario(64, false, 8));
        }
        if (!only.equals("platform")) {
            if (virtualThreads() == null) {
                System.out.println("no virtual threads on this JDK (Java " + Runtime.version().feature()
                        + "): the 2,000-virtual-thread scenario is skipped");
            } else {
                scenarios.add(new Scenario(2_000, true, 32));
            }
        }
        for (Scenario s : scenarios) {
            print(impl, run(impl, s, warmup, seconds, holdNanos));
        }
    }

    private static void print(String impl, Result r) {
        System.out.printf(Locale.ROOT, "%-10s %-37s %,10.0f acquires/s   timed out %,d (%.4f %%)   refused %,d   "
                + "held %s µs   wait µs p50 %s  p99 %s  p99.9 %s  max %s%n", impl, r.scenario(), r.perSecond(),
                r.timeouts(),
                100.0 * r.timeouts() / Math.max(1, r.acquires() + r.timeouts() + r.refused()), r.refused(),
                micros(r.meanHoldNanos()), micros(r.waits().percentile(50)), micros(r.waits().percentile(99)),
                micros(r.waits().percentile(99.9)), micros(r.waits().max()));
    }

    private static String describe(String impl) {
        return switch (impl) {
            case "ours" -> "pool-repos core from " + where(PoolRepository.class);
            case "cp2-fair", "cp2-unfair" -> "commons-pool2 GenericKeyedObjectPool, fairness "
                    + impl.equals("cp2-fair");
            default -> throw new IllegalArgumentException("--impl must be ours, cp2-fair or cp2-unfair, was " + impl);
        };
    }

    private static String where(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null ? "?" : source.getLocation().toString();
    }

    /**
     * Runs {@code scenario} for {@code warmup} then {@code seconds} seconds; only the second part is
     * counted. Every thread acquires, holds for {@code holdNanos}, gives back, and again.
     */
    static Result run(String impl, Scenario scenario, int warmup, int seconds, long holdNanos) throws Exception {
        Object pool = pool(impl, scenario.connections());
        @SuppressWarnings("unchecked")
        Function<Duration, Object> acquire = (Function<Duration, Object>) pool;
        @SuppressWarnings("unchecked")
        Consumer<Object> giveBack = (Consumer<Object>) pool;
        Waits waits = new Waits();
        LongAdder acquires = new LongAdder();
        LongAdder timeouts = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder held = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // 0: warm-up, 1: measuring, 2: stop
        AtomicInteger phase = new AtomicInteger();
        Runnable client = () -> {
            while (true) {
                int p = phase.get();
                if (p == 2) {
                    return;
                }
                long start = System.nanoTime();
                Object c;
                try {
                    c = acquire.apply(TIMEOUT);
                } catch (RuntimeException e) {
                    if (isTimeout(e)) {
                        if (p == 1) {
                            timeouts.increment();
                            waits.record(System.nanoTime() - start);
                        }
                    } else if (e instanceof WaiterLimitExceededException) {
                        if (p == 1) {
                            refused.increment();
                        }
                    } else {
                        failure.compareAndSet(null, e);
                        return;
                    }
                    continue;
                }
                long acquired = System.nanoTime();
                if (p == 1) {
                    acquires.increment();
                    waits.record(acquired - start);
                }
                hold(holdNanos);
                if (p == 1) {
                    held.add(System.nanoTime() - acquired);
                }
                giveBack.accept(c);
            }
        };
        ExecutorService executor = scenario.virtual() ? virtualThreads() : Executors.newFixedThreadPool(
                scenario.threads(), daemon());
        try {
            for (int t = 0; t < scenario.threads(); t++) {
                executor.execute(client);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            phase.set(1);
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            phase.set(2);
            double measured = (System.nanoTime() - start) / 1e9;
            executor.shutdown();
            if (!executor.awaitTermination(TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(scenario + ": clients still running 30 s after the stop: a hang");
            }
            if (failure.get() != null) {
                throw new IllegalStateException(scenario + ": an acquire failed", failure.get());
            }
            return new Result(scenario, acquires.sum(), timeouts.sum(), refused.sum(), measured,
                    held.sum() / Math.max(1, acquires.sum()), waits);
        } finally {
            executor.shutdownNow();
            ((AutoCloseable) pool).close();
        }
    }

    /**
     * Holds a connection as a request in flight does: the thread parks for {@code nanos} (at least;
     * a platform thread's park on Linux lasts some 50 µs more, the kernel's timer slack), so others
     * run meanwhile, and a virtual thread leaves its carrier.
     */
    static void hold(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static boolean isTimeout(RuntimeException e) {
        return e instanceof AcquireTimeoutException || e instanceof NoSuchElementException;
    }

    /**
     * The pool as three JDK interfaces: {@code Function<Duration, Object>} acquires (throwing on
     * timeout), {@code Consumer<Object>} gives back, {@code AutoCloseable} closes.
     */
    static Object pool(String impl, int connections) throws ReflectiveOperationException {
        if (impl.equals("ours")) {
            return new Ours(connections);
        }
        try {
            return Class.forName(OversubscribedRun.class.getPackageName() + ".CommonsPool2Waiting")
                    .getConstructor(int.class, boolean.class).newInstance(connections, impl.equals("cp2-fair"));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(impl + " needs the benchmarks jar on the class path", e);
        }
    }

    /**
     * pool-repos with {@code maxOpenPerName} the number of connections (and as many idle), a factory
     * of dummy connections, and the waiter limit above; every other setting at the pool's default.
     */
    static final class Ours implements Function<Duration, Object>, Consumer<Object>, AutoCloseable {

        private final PoolRepository repository = PoolRepository.create();
        private final ConnectionPool<Dummy> pool;

        Ours(int connections) {
            pool = repository.pool("oversubscribed", ConnectionAdapter.of(Dummy.class, d -> d.open, d -> d.open = false),
                    PoolSettings.builder().maxOpenPerName(connections).maxIdlePerName(connections)
                            .maxWaitersPerName(MAX_WAITERS).build(), n -> new Dummy());
        }

        @Override
        public Object apply(Duration timeout) {
            return pool.acquire(NAME, timeout);
        }

        @Override
        public void accept(Object connection) {
            pool.add(NAME, (Dummy) connection);
        }

        @Override
        public void close() {
            repository.close();
        }
    }

    /** A connection that is alive until closed. */
    static final class Dummy {
        volatile boolean open = true;
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} where the JDK has it, else null. */
    static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot create virtual threads", e);
        }
    }

    private static ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "oversubscribed-client");
            t.setDaemon(true);
            return t;
        };
    }

    private static String option(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }

    private static String micros(long nanos) {
        double us = nanos / 1_000.0;
        return String.format(Locale.ROOT, us < 10 ? "%.2f" : us < 1_000 ? "%.0f" : "%,.0f", us);
    }

    /**
     * Waits in nanoseconds, in buckets of 1/16 of a power of two (within 6.25 %); thread-safe, one
     * array shared by all threads.
     */
    static final class Waits {

        private static final int SUB = 16;
        private final AtomicLongArray buckets = new AtomicLongArray(64 * SUB);
        private final LongAdder count = new LongAdder();
        private final AtomicLong max = new AtomicLong();

        void record(long nanos) {
            long v = Math.max(0, nanos);
            buckets.incrementAndGet(index(v));
            count.increment();
            max.accumulateAndGet(v, Math::max);
        }

        private static int index(long v) {
            if (v < SUB) {
                return (int) v;
            }
            int exponent = 63 - Long.numberOfLeadingZeros(v);
            int sub = (int) (v >>> (exponent - 4)) & (SUB - 1);
            return (exponent - 3) * SUB + sub;
        }

        /** The upper bound of bucket {@code i}. */
        private static long upper(int i) {
            if (i < SUB) {
                return i;
            }
            int exponent = i / SUB + 3;
            long sub = i % SUB;
            return ((SUB + sub + 1) << (exponent - 4)) - 1;
        }

        /** The upper bound of the bucket holding the {@code p}-th percentile; 0 with no samples. */
        long percentile(double p) {
            long total = count.sum();
            long rank = (long) Math.ceil(total * p / 100.0);
            long seen = 0;
            for (int i = 0; i < buckets.length(); i++) {
                seen += buckets.get(i);
                if (seen >= rank && seen > 0) {
                    return Math.min(upper(i), max.get());
                }
            }
            return max.get();
        }

        long max() {
            return max.get();
        }
    }
}
