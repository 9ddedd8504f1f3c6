package io.poolrepos.benchmarks;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the request/reply benchmark: {@link RequestReplyBenchmark} for every {@link ClientConfig} on
 * 1, 8 and 64 threads, then the {@link IdleCloseScenario} for each but the TLS ones, and prints the
 * throughput with the ratio of {@code ours} to each configuration (wall clock and per CPU time), the
 * same for the TLS configurations with the ratio of {@code ours-tls} to {@code new-tls-socket}, the
 * p50 and p99 of a request, the failed requests of the idle-close scenario, and the goals
 * (BENCHMARKS.md) marked met or not met. JMH's own output goes to
 * {@code target/jmh-request-reply-NN.log}, one file per thread count.
 *
 * <p>By default a short run (about four minutes on 2 cores); {@code --long} measures more than six
 * times longer and runs five times the bursts. Not thread-safe; run from {@code main}.
 */
public final class RequestReplySuite {

    private static final int[] THREADS = {1, 8, 64};
    private static final Duration IDLE_CLOSE = Duration.ofMillis(50);
    private static final Duration PAUSE = Duration.ofMillis(100);
    private static final int REQUESTS_PER_BURST = 160;

    private final boolean longRun;
    private final File logDirectory;
    /** Row (threads) → config → figure. */
    private final Map<String, Map<String, Double>> perMilli = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> perCpuMilli = new LinkedHashMap<>();
    private final Map<String, Map<String, double[]>> percentiles = new LinkedHashMap<>();
    private final List<IdleCloseScenario.Result> idleClose = new ArrayList<>();
    private int runs;

    private RequestReplySuite(boolean longRun, File logDirectory) {
        this.longRun = longRun;
        this.logDirectory = logDirectory;
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        boolean longRun = Arrays.asList(args).contains("--long");
        new RequestReplySuite(longRun, RatioTable.logDirectory()).run();
    }

    private void run() throws RunnerException, IOException, InterruptedException {
        RatioTable.printHeader("pool-repos request/reply benchmark" + (longRun ? " (long)" : ""),
                new File(logDirectory, "jmh-request-reply-NN.log"));
        for (int threads : THREADS) {
            measure(threads);
        }
        int bursts = longRun ? 50 : 10;
        System.out.printf(Locale.ROOT, "running the idle-close scenario (%d bursts, server closes after %d ms idle, "
                + "pauses of %d ms) ...%n", bursts, IDLE_CLOSE.toMillis(), PAUSE.toMillis());
        for (int threads : THREADS) {
            for (ClientConfig config : ClientConfig.values()) {
                if (config.tls()) {
                    // a handshake can outlast the idle limit on a busy machine: the server would close
                    // connections while a client is still starting them, which is not what this counts
                    continue;
                }
                idleClose.add(IdleCloseScenario.run(config, threads, bursts, REQUESTS_PER_BURST, IDLE_CLOSE, PAUSE));
            }
        }
        print();
        System.out.println("load average at the end: " + RatioTable.loadAverage());
    }

    private void measure(int threads) throws RunnerException {
        String row = threads + (threads == 1 ? " thread" : " threads");
        System.out.println("running request/reply, " + row + " ...");
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(RequestReplyBenchmark.class.getName()) + "\\.")
                .param("config", Arrays.stream(ClientConfig.values()).map(c -> c.key).toArray(String[]::new))
                .threads(threads)
                .forks(1)
                .warmupIterations(longRun ? 3 : 2)
                .warmupTime(TimeValue.milliseconds(longRun ? 1_000 : 400))
                .measurementIterations(longRun ? 5 : 3)
                .measurementTime(TimeValue.milliseconds(longRun ? 3_000 : 800))
                // Pre-touched as in the suite, but smaller: a request allocates a few small objects,
                // and pre-touching 1 GB costs seconds per fork on a busy machine.
                .jvmArgsAppend("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch")
                .addProfiler(CpuTimeProfiler.class)
                .shouldFailOnError(true)
                .output(new File(logDirectory, String.format(Locale.ROOT, "jmh-request-reply-%02d.log", ++runs)).getPath())
                .build();
        for (RunResult r : new Runner(options).run()) {
            String config = r.getParams().getParam("config");
            perMilli.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(config, requestsPerMilli(r));
            perCpuMilli.computeIfAbsent(row, k -> new LinkedHashMap<>())
                    .put(config, r.getSecondaryResults().get(CpuTimeProfiler.LABEL).getScore() * 1_000);
            percentiles.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(config, new double[] {
                r.getPrimaryResult().getStatistics().getPercentile(50), r.getPrimaryResult().getStatistics().getPercentile(99)});
        }
    }

    /**
     * Throughput of a sample-time run: every request of the measured iterations (JMH counts them all,
     * not only the timed sample) over the iterations' time.
     */
    static double requestsPerMilli(RunResult r) {
        long requests = 0;
        long nanos = 0;
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                requests += i.getMetadata().getMeasuredOps();
                nanos += i.getParams().getTime().convertTo(TimeUnit.NANOSECONDS);
            }
        }
        return requests / (nanos / 1e6);
    }

    private void print() {
        System.out.println();
        RatioTable.print("request/reply, wall clock", "requests/ms", "ours", perMilli);
        RatioTable.print("request/reply, per CPU time of the JVM (clients and server)", "requests/CPU-ms", "ours",
                perCpuMilli);
        RatioTable.print("request/reply over TLS, what pooling saves, wall clock", "requests/ms", "ours-tls",
                tlsOnly(perMilli));
        RatioTable.print("request/reply over TLS, per CPU time of the JVM", "requests/CPU-ms", "ours-tls",
                tlsOnly(perCpuMilli));
        System.out.println("request/reply, latency of a request: p50 / p99 (µs)");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-13s", ""));
        for (ClientConfig c : ClientConfig.values()) {
            header.append(String.format(Locale.ROOT, " %17s", c.key));
        }
        System.out.println(header);
        percentiles.forEach((row, byConfig) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-13s", row));
            for (ClientConfig c : ClientConfig.values()) {
                double[] p = byConfig.get(c.key);
                line.append(String.format(Locale.ROOT, " %17s", p == null ? "-" : latency(p[0]) + " / " + latency(p[1])));
            }
            System.out.println(line);
        });
        System.out.println();
        System.out.println("idle-close scenario: requests that failed (of all requests), connections the server closed "
                + "for idleness, connections the client opened, longest burst");
        for (IdleCloseScenario.Result r : idleClose) {
            System.out.printf(Locale.ROOT, "  %2d threads %-14s failed %5d of %6d   closed idle %5d   opened %5d   "
                    + "longest burst %4d ms%s%s%n", r.threads(), r.config().key, r.failed(), r.requests(),
                    r.closedByServer(), r.opened(), r.longestBurstMillis(),
                    r.allClosedInPauses() ? "" : "   (some connections outlived a pause: not a valid run)",
                    r.firstFailure() == null ? "" : "   first failure: " + r.firstFailure());
        }
        System.out.println();
        printGoals();
    }

    /** The rows with only the TLS configurations' figures. */
    private static Map<String, Map<String, Double>> tlsOnly(Map<String, Map<String, Double>> rows) {
        Map<String, Map<String, Double>> tls = new LinkedHashMap<>();
        rows.forEach((row, byConfig) -> {
            for (ClientConfig c : ClientConfig.values()) {
                if (c.tls() && byConfig.containsKey(c.key)) {
                    tls.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(c.key, byConfig.get(c.key));
                }
            }
        });
        return tls;
    }

    private void printGoals() {
        System.out.println("goals");
        for (String row : List.of("8 threads", "64 threads")) {
            goal(row + ": ours >= 0.95x cp2-unchecked", row, "cp2-unchecked", 0.95);
            goal(row + ": ours >= 1.1x cp2-checked", row, "cp2-checked", 1.1);
            goal(row + ": ours >= 0.9x owned-socket", row, "owned-socket", 0.9);
        }
        for (IdleCloseScenario.Result r : idleClose) {
            if (r.config() == ClientConfig.OURS) {
                boolean valid = r.allClosedInPauses() && r.closedByServer() > 0;
                boolean raced = r.failed() > 0 && r.longestBurstMillis() >= IDLE_CLOSE.toMillis();
                System.out.printf(Locale.ROOT, "  %-8s idle-close, %d threads: ours loses no request: %d failed%s%n",
                        !valid ? "INVALID" : r.failed() == 0 ? "MET" : "NOT MET", r.threads(), r.failed(),
                        !valid ? " (the server did not close every connection between bursts)"
                        : raced ? " (a burst outlasted the idle limit: a close may have raced a request)" : "");
            }
        }
    }

    private void goal(String what, String row, String peer, double atLeast) {
        RatioTable.goal(what, new double[] {
            perMilli.get(row).get("ours") / perMilli.get(row).get(peer),
            perCpuMilli.get(row).get("ours") / perCpuMilli.get(row).get(peer)}, atLeast);
    }

    private static String latency(double micros) {
        return String.format(Locale.ROOT, micros < 100 ? "%.1f" : "%.0f", micros);
    }
}
