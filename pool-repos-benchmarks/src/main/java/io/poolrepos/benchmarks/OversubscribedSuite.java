package io.poolrepos.benchmarks;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the oversubscribed acquire/give-back scenario for ours and commons-pool2 with
 * {@code fairness} on and off: {@link OversubscribedBenchmark} on 8 and 64 platform threads (8
 * connections), then, when this JVM has virtual threads, {@link OversubscribedRun} with 2,000 virtual
 * threads on 32 connections, one JVM per pool. Prints the acquires per ms with the ratio of ours to
 * each peer, the wait of an acquire (p50, p99, p99.9), and the virtual-thread runs' own lines with
 * their timeouts. JMH's own output goes to {@code target/jmh-oversubscribed-NN.log}, one file per
 * thread count.
 *
 * <p>About a minute and a half on 2 cores; {@code --long} measures three times longer. Not
 * thread-safe; run from {@code main}.
 */
public final class OversubscribedSuite {

    private static final int[] THREADS = {8, 64};
    private static final List<String> IMPLS = List.of("ours", "cp2-fair", "cp2-unfair");

    private final boolean longRun;
    private final File logDirectory;
    private final Map<String, Map<String, Double>> perMilli = new LinkedHashMap<>();
    private final Map<String, Map<String, double[]>> waits = new LinkedHashMap<>();
    private int runs;

    private OversubscribedSuite(boolean longRun, File logDirectory) {
        this.longRun = longRun;
        this.logDirectory = logDirectory;
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        boolean longRun = Arrays.asList(args).contains("--long");
        new OversubscribedSuite(longRun, RatioTable.logDirectory()).run();
    }

    private void run() throws RunnerException, IOException, InterruptedException {
        RatioTable.printHeader("pool-repos oversubscribed acquire/give-back" + (longRun ? " (long)" : ""),
                new File(logDirectory, "jmh-oversubscribed-NN.log"));
        for (int threads : THREADS) {
            measure(threads);
        }
        System.out.println();
        RatioTable.print("acquire + hold + give-back on 8 connections, wall clock", "acquires/ms", "ours", perMilli);
        System.out.println("wait of an acquire: p50 / p99 / p99.9 (µs)");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-13s", ""));
        IMPLS.forEach(i -> header.append(String.format(Locale.ROOT, " %26s", i)));
        System.out.println(header);
        waits.forEach((row, byImpl) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-13s", row));
            for (String impl : IMPLS) {
                double[] p = byImpl.get(impl);
                line.append(String.format(Locale.ROOT, " %26s", p == null ? "-"
                        : micros(p[0]) + " / " + micros(p[1]) + " / " + micros(p[2])));
            }
            System.out.println(line);
        });
        System.out.println("(acquires that timed out after " + OversubscribedRun.TIMEOUT.toSeconds()
                + " s are printed in the JMH logs)");
        System.out.println();
        virtualThreads();
        System.out.println("load average at the end: " + RatioTable.loadAverage());
    }

    private void measure(int threads) throws RunnerException {
        String row = threads + " threads";
        System.out.println("running oversubscribed acquire/give-back, " + row + " ...");
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(OversubscribedBenchmark.class.getName()) + "\\.")
                .param("impl", IMPLS.toArray(String[]::new))
                .threads(threads)
                .forks(1)
                .warmupIterations(longRun ? 3 : 2)
                .warmupTime(TimeValue.milliseconds(longRun ? 1_000 : 500))
                .measurementIterations(longRun ? 5 : 3)
                .measurementTime(TimeValue.milliseconds(longRun ? 2_000 : 1_000))
                .jvmArgsAppend("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch")
                .shouldFailOnError(true)
                .output(new File(logDirectory, String.format(Locale.ROOT, "jmh-oversubscribed-%02d.log", ++runs)).getPath())
                .build();
        for (RunResult r : new Runner(options).run()) {
            String impl = r.getParams().getParam("impl");
            perMilli.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(impl, RequestReplySuite.requestsPerMilli(r));
            var statistics = r.getPrimaryResult().getStatistics();
            waits.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(impl, new double[] {
                statistics.getPercentile(50), statistics.getPercentile(99), statistics.getPercentile(99.9)});
        }
    }

    /** The virtual-thread scenario, one JVM per pool (the same java and class path as this one). */
    private void virtualThreads() throws IOException, InterruptedException {
        if (OversubscribedRun.virtualThreads() == null) {
            System.out.println("2,000 virtual threads on 32 connections: skipped, Java " + Runtime.version().feature()
                    + " has no virtual threads (run with a JDK 21+, for instance "
                    + "JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./pool-repos-benchmarks/run.sh oversubscribed)");
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        for (String impl : IMPLS) {
            List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                    "-cp", System.getProperty("java.class.path"), OversubscribedRun.class.getName(), "--impl", impl,
                    "--only", "virtual"));
            if (longRun) {
                command.addAll(List.of("--seconds", "15", "--warmup", "5"));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(impl + ": the virtual-thread run failed:\n" + output);
            }
            output.lines().filter(l -> !l.startsWith("SLF4J")).forEach(System.out::println);
        }
    }

    private static String micros(double us) {
        return String.format(Locale.ROOT, us < 10 ? "%.2f" : "%,.0f", us);
    }
}
