package io.poolrepos.benchmarks;

import io.poolrepos.PoolSnapshot;
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
 * Time of {@code ConnectionPool.snapshot()} (what the actuator endpoint reads) on a pool with
 * {@code names} names, each holding one idle connection. Not thread-safe: JMH drives it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotBenchmark {

    @Param({"10000"})
    public int names;

    private OursPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new OursPool(Impl.names(names), 1, false);
        // Tenure the prefilled pool now, as a long-lived pool would be: otherwise the first young
        // collections during measurement copy the whole prefill and bill it to whoever allocates.
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public PoolSnapshot snapshot() {
        return pool.pool().snapshot();
    }
}
