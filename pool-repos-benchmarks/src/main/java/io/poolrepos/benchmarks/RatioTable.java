package io.poolrepos.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The printed form of the suites' results: a header naming the machine, tables of throughput with the
 * ratio of ours to each peer, and goals marked met or not met. Stateless; prints to {@code System.out}.
 */
final class RatioTable {

    private RatioTable() {
    }

    /** Where a suite writes JMH's logs: the module's {@code target}, from the repository or the module. */
    static File logDirectory() {
        File target = new File("pool-repos-benchmarks/target");
        return target.isDirectory() ? target : new File("target");
    }

    /** A suite's first lines: its title and JMH log files, the machine, the JVM and the load average. */
    static void printHeader(String title, File logs) {
        System.out.println(title + "; JMH logs: " + logs.getPath());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + "; load average at the start: " + loadAverage());
    }

    /** The contents of {@code /proc/loadavg}, or "unknown". */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Prints {@code rows} (row label → implementation → figure) with one column per implementation,
     * and beside each peer's figure the ratio of {@code ours}' figure in the same row to it.
     */
    static void print(String title, String unit, String ours, Map<String, Map<String, Double>> rows) {
        List<String> impls = new ArrayList<>();
        rows.values().forEach(r -> r.keySet().forEach(k -> {
            if (!impls.contains(k)) {
                impls.add(k);
            }
        }));
        System.out.println(title + " (" + unit + "; " + ours + "/peer ratio in brackets)");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-13s", ""));
        impls.forEach(i -> header.append(String.format(Locale.ROOT, " %19s", i)));
        System.out.println(header);
        rows.forEach((row, scores) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-13s", row));
            Double ourScore = scores.get(ours);
            for (String impl : impls) {
                Double s = scores.get(impl);
                if (s == null) {
                    line.append(String.format(Locale.ROOT, " %19s", "-"));
                } else if (impl.equals(ours) || ourScore == null) {
                    line.append(String.format(Locale.ROOT, " %19s", number(s)));
                } else {
                    line.append(String.format(Locale.ROOT, " %19s", number(s) + " (" + ratio(ourScore / s) + ")"));
                }
            }
            System.out.println(line);
        });
        System.out.println();
    }

    /** Marks a goal by the wall-clock ratio and shows the CPU-time ratio beside it. */
    static void goal(String what, double[] wallAndCpu, double atLeast) {
        System.out.printf(Locale.ROOT, "  %-8s %s: %s (per CPU time: %s, %s)%n",
                wallAndCpu[0] >= atLeast ? "MET" : "NOT MET", what, ratio(wallAndCpu[0]), ratio(wallAndCpu[1]),
                wallAndCpu[1] >= atLeast ? "met" : "not met");
    }

    static String number(double figure) {
        return String.format(Locale.ROOT, figure < 1 ? "%.3f" : "%.2f", figure);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, r < 10 ? "%.2fx" : "%.0fx", r);
    }
}
