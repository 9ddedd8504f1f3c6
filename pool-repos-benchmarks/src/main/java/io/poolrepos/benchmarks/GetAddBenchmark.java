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
 * get + add: take an idle connection of a name and give it back, on a random one of {@code names}
 * names (or always the first, see {@link #pick}). Run with {@code -t 1} and {@code -t 2}. Every name is prefilled with
 * {@link #PER_NAME} idle connections, so a get never misses (a miss fails the run) and nothing is
 * allocated or connected by the pool while measuring beyond what the implementation allocates itself.
 * Not thread-safe: JMH drives it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GetAddBenchmark {

    /** Two per name so that each of two threads always finds one idle. */
    static final int PER_NAME = 2;

    @Param({"ours", "cp2-defaults", "cp2-tuned", "reactor", "hikari-bag", "chm-deque", "cas-slots", "seed", "bare-records"})
    public String impl;

    @Param({"1", "1000", "100000"})
    public int names;

    /**
     * {@code random}: each call picks one of the names at random, so with many names most calls miss
     * the CPU caches. {@code first}: every call uses the first name while the pool holds all of them,
     * which shows whether any work grows with the number of names.
     */
    @Param({"random", "first"})
    public String pick;

    private String[] nameArray;
    private int bound;
    private ExclusivePool pool;

    @Setup(Level.Trial)
    public void setUp() {
        nameArray = Impl.names(names);
        bound = pick.equals("first") ? 1 : names;
        pool = Impl.of(impl).exclusive(nameArray, PER_NAME);
        // Tenure the prefilled pool now, as a long-lived pool would be: otherwise the first young
        // collections during measurement copy the whole prefill and bill it to whoever allocates.
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public Object getAdd(Picker picker) {
        String name = nameArray[picker.next(bound)];
        Object handle = pool.get(name);
        while (handle == null) {
            // With two threads, ours can report a name empty although a connection was idle all the
            // time (its scan is not atomic and entries move between places; see BENCHMARKS.md).
            // Try again, as a caller would, so the miss costs its time; count it and report it.
            picker.missed(impl, name);
            handle = pool.get(name);
        }
        pool.add(name, handle);
        return handle;
    }

    /** Each thread's own random choice of name: xorshift, no sharing, no allocation. */
    @State(Scope.Thread)
    public static class Picker {

        private static final int MAX_MISSES_IN_A_ROW = 1_000_000;

        private long seed = System.nanoTime() | 1;
        private long misses;
        private int missesInARow;

        void missed(String impl, String name) {
            misses++;
            if (++missesInARow > MAX_MISSES_IN_A_ROW) {
                throw new IllegalStateException(impl + ": get keeps missing on a prefilled name " + name);
            }
        }

        @TearDown(Level.Trial)
        public void report() {
            if (misses > 0) {
                System.out.println("get found a prefilled name empty " + misses + " time(s) in this thread");
            }
        }

        int next(int bound) {
            missesInARow = 0;
            if (bound == 1) {
                return 0;
            }
            long x = seed;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            seed = x;
            return (int) ((x >>> 1) % bound);
        }
    }
}
