package io.poolrepos.benchmarks;

import java.util.concurrent.TimeUnit;
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
 * share + release on one name holding {@link #PER_NAME} idle connections: ours against the seed's
 * design (take the head under the repository lock, put it back at the tail) and a lock-free
 * round-robin. Run with {@code -t 1} and {@code -t 2}. Not thread-safe: JMH drives it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ShareBenchmark {

    static final int PER_NAME = 2;
    private static final String NAME = "db1.example:5432";

    @Param({"ours", "seed", "round-robin"})
    public String impl;

    private SharingPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        pool = Impl.of(impl).sharing(new String[] {NAME}, PER_NAME);
        // Tenure the prefilled pool now, as a long-lived pool would be: otherwise the first young
        // collections during measurement copy the whole prefill and bill it to whoever allocates.
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public Object shareRelease() {
        Object lease = pool.share(NAME);
        if (lease == null) {
            throw new IllegalStateException(impl + ": share found nothing");
        }
        pool.release(lease);
        return lease;
    }
}
