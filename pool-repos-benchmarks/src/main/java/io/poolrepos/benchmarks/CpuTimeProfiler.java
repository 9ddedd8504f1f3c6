package io.poolrepos.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Operations per microsecond of CPU time the benchmark JVM actually got, next to JMH's wall-clock
 * throughput. On a 2-core machine shared with other builds, wall-clock throughput falls whenever the
 * benchmark's threads wait for a core; CPU time does not count that wait, so this figure stays
 * comparable between runs made under different load. It counts all of the JVM's threads (JIT, GC,
 * housekeeping) as well, which are near idle in steady state. Use with {@code -prof
 * io.poolrepos.benchmarks.CpuTimeProfiler}. Not thread-safe; JMH calls it from one thread.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    static final String LABEL = "cpu.ops/us";

    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "operations per microsecond of process CPU time (insensitive to waiting for a core)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    public List<Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        double cpuMicros = (os.getProcessCpuTime() - cpuAtStart) / 1000.0;
        long ops = result.getMetadata().getMeasuredOps();
        if (cpuMicros <= 0 || ops <= 0) {
            return List.of();
        }
        return List.of(new ScalarResult(LABEL, ops / cpuMicros, "ops/us", AggregationPolicy.AVG));
    }
}
