package io.poolrepos.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The oversubscribed scenario under JMH: JMH's threads (the suite runs 8 and 64) take turns on
 * {@code connections} dummy connections of one name. The timed operation is the acquire alone, waiting
 * included: the hold ({@link OversubscribedRun#hold}, a park of {@code holdMicros}) and the give-back run in an invocation-level
 * tear-down, outside the time. Sample-time mode gives the wait's p50, p99 and p99.9; the count of
 * acquires over the measured time gives the throughput ({@link RequestReplySuite#requestsPerMilli}).
 * An acquire waits at most {@link OversubscribedRun#TIMEOUT}; one that times out is counted (printed
 * into JMH's log) and its wait sampled like any other. The pools are those of
 * {@link OversubscribedRun}: ours with {@code maxOpenPerName}, commons-pool2 with {@code fairness} on
 * and off. Not thread-safe: JMH drives it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OversubscribedBenchmark {

    @Param({"ours", "cp2-fair", "cp2-unfair"})
    public String impl;

    @Param("8")
    public int connections;

    @Param("20")
    public int holdMicros;

    private Object pool;
    private Function<Duration, Object> acquire;
    private Consumer<Object> giveBack;
    private final LongAdder timeouts = new LongAdder();

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() throws ReflectiveOperationException {
        pool = OversubscribedRun.pool(impl, connections);
        acquire = (Function<Duration, Object>) pool;
        giveBack = (Consumer<Object>) pool;
        // every connection opened before the first measurement
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            all.add(acquire.apply(OversubscribedRun.TIMEOUT));
        }
        all.forEach(giveBack);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.printf("%s: %d acquires timed out%n", impl, timeouts.sum());
        ((AutoCloseable) pool).close();
    }

    /** What one JMH thread holds between its timed acquire and the give-back. */
    @State(Scope.Thread)
    public static class Held {

        Object connection;
        private OversubscribedBenchmark benchmark;
        private long holdNanos;

        @Setup(Level.Trial)
        public void setUp(OversubscribedBenchmark b) {
            benchmark = b;
            holdNanos = TimeUnit.MICROSECONDS.toNanos(b.holdMicros);
        }

        /** Holds the connection for the hold time, then gives it back; outside the timed acquire. */
        @TearDown(Level.Invocation)
        public void holdAndGiveBack() {
            Object c = connection;
            if (c != null) {
                connection = null;
                OversubscribedRun.hold(holdNanos);
                benchmark.giveBack.accept(c);
            }
        }
    }

    @Benchmark
    public Object acquire(Held held) {
        try {
            held.connection = acquire.apply(OversubscribedRun.TIMEOUT);
        } catch (RuntimeException e) {
            if (!OversubscribedRun.isTimeout(e)) {
                throw e;
            }
            timeouts.increment();
        }
        return held.connection;
    }
}
