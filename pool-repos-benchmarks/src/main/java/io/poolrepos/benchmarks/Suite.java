package io.poolrepos.benchmarks;

import java.io.File;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole suite (every scenario at 1 and 2 threads, the 2-thread ones twice, the snapshot, the
 * JOL footprint) and prints a table of ops/µs with the ratio of ours to each peer, then each goal
 * (BENCHMARKS.md) marked met or not met. JMH's own output goes to {@code target/jmh-suite-NN.log}, one file per JMH run.
 *
 * <p>{@code --quick} halves the measuring time (for a smoke run; the figures are noisier).
 * Not thread-safe; run from {@code main}.
 */
public final class Suite {

    private static final List<String> ALL = List.of("ours", "cp2-defaults", "cp2-tuned", "reactor",
            "hikari-bag", "chm-deque", "cas-slots", "seed");
    /** At 100,000 names only ours and the fast references: the slow peers would add minutes, not insight. */
    private static final List<String> MANY_NAMES = List.of("ours", "hikari-bag", "cas-slots", "seed");
    private static final List<String> SHARERS = List.of("ours", "seed", "round-robin");

    private final boolean quick;
    private final File log;
    /** Scenario title → (row label → (impl → ops/µs)), wall clock. */
    private final Map<String, Map<String, Map<String, Double>>> tables = new LinkedHashMap<>();
    /** The same, per microsecond of CPU time the benchmark JVM got (see {@link CpuTimeProfiler}). */
    private final Map<String, Map<String, Map<String, Double>>> cpuTables = new LinkedHashMap<>();
    private double snapshotMillis = Double.NaN;
    private int runs;

    private Suite(boolean quick, File log) {
        this.quick = quick;
        this.log = log;
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = Arrays.asList(args).contains("--quick");
        File log = new File("pool-repos-benchmarks/target/jmh-suite-NN.log");
        if (!log.getParentFile().isDirectory()) {
            log = new File("target/jmh-suite-NN.log");
        }
        new Suite(quick, log).run();
    }

    private void run() throws RunnerException {
        System.out.println("pool-repos benchmark suite" + (quick ? " (quick)" : "") + "; JMH log: " + log.getPath());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        for (int threads = 1; threads <= 2; threads++) {
            int rounds = threads == 1 ? 1 : 2;
            for (int round = 1; round <= rounds; round++) {
                String suffix = threads + (threads == 1 ? " thread" : " threads") + (rounds > 1 ? ", run " + round : "");
                String getAdd = "get + add, " + suffix;
                measure(getAdd, GetAddBenchmark.class, threads, ALL, "names", "1", "1000");
                measure(getAdd, GetAddBenchmark.class, threads, MANY_NAMES, "names", "100000");
                measure("share + release, one name, " + suffix, ShareBenchmark.class, threads, SHARERS, null);
            }
        }
        measure("get + add, one hot name among many, 1 thread", GetAddBenchmark.class, 1, MANY_NAMES,
                "names", "1", "100000");
        measureSnapshot();
        Map<Impl, Footprint.Cost> footprint = Footprint.measureAll();
        print(footprint);
    }

    private void measure(String title, Class<?> benchmark, int threads, List<String> impls, String param,
            String... values) throws RunnerException {
        System.out.printf(Locale.ROOT, "running %s%s ...%n", title,
                param == null ? "" : " (" + param + " " + String.join(", ", values) + ")");
        ChainedOptionsBuilder options = options(benchmark).threads(threads)
                .param("impl", impls.toArray(String[]::new));
        if (benchmark == GetAddBenchmark.class) {
            options.param("pick", title.contains("hot name") ? "first" : "random");
        }
        if (param != null) {
            options.param(param, values);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Map<String, Double>> table = tables.computeIfAbsent(title, t -> new LinkedHashMap<>());
        Map<String, Map<String, Double>> cpuTable = cpuTables.computeIfAbsent(title, t -> new LinkedHashMap<>());
        for (RunResult r : results) {
            String row = param == null ? "1 name" : rowLabel(r.getParams().getParam(param));
            String impl = r.getParams().getParam("impl");
            table.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(impl, r.getPrimaryResult().getScore());
            cpuTable.computeIfAbsent(row, k -> new LinkedHashMap<>())
                    .put(impl, r.getSecondaryResults().get(CpuTimeProfiler.LABEL).getScore());
        }
    }

    private static String rowLabel(String names) {
        return names.equals("1") ? "1 name" : names + " names";
    }

    private void measureSnapshot() throws RunnerException {
        System.out.println("running snapshot of 10,000 names ...");
        for (RunResult r : new Runner(options(SnapshotBenchmark.class).threads(1)
                .timeUnit(TimeUnit.MILLISECONDS).build()).run()) {
            snapshotMillis = r.getPrimaryResult().getScore();
        }
    }

    private ChainedOptionsBuilder options(Class<?> benchmark) {
        return new OptionsBuilder()
                // Anchored: JMH's include is a regex found anywhere in the name, so the bare class
                // name would also select SocketGetAddBenchmark and any other class ending the same way.
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .forks(1)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 400 : 700))
                .measurementIterations(3)
                .measurementTime(TimeValue.milliseconds(quick ? 300 : 700))
                .timeUnit(TimeUnit.MICROSECONDS)
                // Heap touched up front: otherwise whoever allocates pays the page faults of a young
                // generation used for the first time (seen as 4x slower iterations for seconds).
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch")
                .addProfiler(CpuTimeProfiler.class)
                .shouldFailOnError(true)
                .output(new File(log.getParentFile(), String.format(Locale.ROOT, "jmh-suite-%02d.log", ++runs)).getPath());
    }

    // ---- the report ------------------------------------------------------------------------------

    private void print(Map<Impl, Footprint.Cost> footprint) {
        System.out.println();
        tables.forEach((title, rows) -> RatioTable.print(title + ", wall clock", "ops/µs", "ours", rows));
        System.out.println("The same per microsecond of CPU time the benchmark JVM got: insensitive to waiting");
        System.out.println("for a core on a loaded machine (see CpuTimeProfiler).");
        System.out.println();
        cpuTables.forEach((title, rows) -> RatioTable.print(title + ", per CPU-µs", "ops/µs", "ours", rows));
        System.out.printf(Locale.ROOT, "snapshot of a pool with 10,000 names: %.3f ms%n%n", snapshotMillis);
        System.out.println("JOL footprint (pool overhead, user's connections and names excluded)");
        footprint.forEach((impl, cost) -> System.out.printf(Locale.ROOT, "  %-13s %7.1f B/idle connection %7.1f B/name%n",
                impl.key, cost.perConnection(), cost.perName()));
        System.out.println();
        printGoals(footprint.get(Impl.OURS));
    }

    private void printGoals(Footprint.Cost ours) {
        System.out.println("goals");
        String t1 = "get + add, 1 thread";
        RatioTable.goal("1,000 names, 1 thread: >= 1.0x hikari-bag", ratioOf(t1, "1000 names", "hikari-bag"), 1.0);
        RatioTable.goal("1,000 names, 1 thread: >= 0.5x cas-slots", ratioOf(t1, "1000 names", "cas-slots"), 0.5);
        RatioTable.goal("1,000 names, 1 thread: >= 10x cp2-tuned", ratioOf(t1, "1000 names", "cp2-tuned"), 10);
        RatioTable.goal("1,000 names, 1 thread: >= 10x reactor", ratioOf(t1, "1000 names", "reactor"), 10);
        RatioTable.goal("one name, 1 thread: >= 0.5x hikari-bag", ratioOf(t1, "1 name", "hikari-bag"), 0.5);
        for (int run = 1; run <= 2; run++) {
            RatioTable.goal("share + release, 2 threads, run " + run + ": >= 2x seed",
                    ratioOf("share + release, one name, 2 threads, run " + run, "1 name", "seed"), 2.0);
        }
        for (String scenario : List.of(t1, "get + add, 2 threads, run 1", "get + add, 2 threads, run 2",
                "get + add, one hot name among many, 1 thread")) {
            RatioTable.goal(scenario + ": ours at 100,000 names keeps > 2/3 of its 1-name throughput",
                    new double[] {keep(tables, scenario), keep(cpuTables, scenario)}, 2.0 / 3.0);
        }
        System.out.printf(Locale.ROOT, "  %-8s memory: %.1f B per idle connection (aim < 100), %.1f B per name%n",
                ours.perConnection() < 100 ? "MET" : "NOT MET", ours.perConnection(), ours.perName());
        System.out.printf(Locale.ROOT, "  %-8s snapshot of 10,000 names timed: %.3f ms%n", "REPORTED", snapshotMillis);
    }

    private double[] ratioOf(String scenario, String row, String peer) {
        return new double[] {ratio(tables, scenario, row, "ours", peer), ratio(cpuTables, scenario, row, "ours", peer)};
    }

    private static double ratio(Map<String, Map<String, Map<String, Double>>> in, String scenario, String row,
            String a, String b) {
        Map<String, Double> scores = in.get(scenario).get(row);
        return scores.get(a) / scores.get(b);
    }

    private static double keep(Map<String, Map<String, Map<String, Double>>> in, String scenario) {
        Map<String, Map<String, Double>> table = in.get(scenario);
        return table.get("100000 names").get("ours") / table.get("1 name").get("ours");
    }
}
