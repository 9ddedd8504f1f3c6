package io.poolrepos.testing;

import static org.awaitility.Awaitility.await;
import java.io.File;
import java.lang.management.ManagementFactory;

/** Open file descriptors and heap after GC of this JVM, for leak checks in long tests. */
public final class ProcessResources {

    static {
        // NIO keeps one socket pair open for the JVM's lifetime (used to close channels that other
        // threads are blocked on), created on first use; open it before any baseline is taken.
        try {
            java.nio.channels.SocketChannel.open().close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ProcessResources() {
    }

    /** Open file descriptors of this process, read from {@code /proc/self/fd}; -1 where there is no /proc. */
    public static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** What each open file descriptor points to, for a failure message. */
    public static java.util.List<String> describeFileDescriptors() {
        java.util.List<String> result = new java.util.ArrayList<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds != null) {
            for (File fd : fds) {
                try {
                    String target = java.nio.file.Files.readSymbolicLink(fd.toPath()).toString();
                    result.add(fd.getName() + " -> " + target + tcpState(target));
                } catch (java.io.IOException e) {
                    result.add(fd.getName() + " -> ?");
                }
            }
        }
        return result;
    }

    /**
     * Sockets of this process connected to {@code port} (their remote end), read from /proc: the
     * client ends of connections to a server, not the server's accepted ends.
     */
    public static long socketsConnectedTo(int port) {
        String remotePort = String.format(":%04X", port);
        return describeFileDescriptors().stream()
                .filter(d -> d.contains(" remote "))
                .map(d -> d.substring(d.indexOf(" remote ") + " remote ".length()).split(" ")[0])
                .filter(remote -> remote.endsWith(remotePort))
                .count();
    }

    private static String tcpState(String target) {
        if (!target.startsWith("socket:[")) {
            return "";
        }
        String inode = target.substring(8, target.length() - 1);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[9].equals(inode)) {
                        return " (" + table + " local " + f[1] + " remote " + f[2] + " state " + f[3] + ")";
                    }
                }
            } catch (java.io.IOException ignored) {
                // no /proc
            }
        }
        return "";
    }

    /** Heap in use after asking for full collections until it stops shrinking. */
    public static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }

    /**
     * Waits up to 10 seconds for the open file descriptors to fall back to {@code before} (sockets are
     * closed by other threads, the echo servers' among them), failing with both lists if they do not.
     */
    public static void awaitFileDescriptorsBackTo(int before, java.util.List<String> listBefore) {
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> org.assertj.core.api.Assertions
                .assertThat(openFileDescriptors()).as("file descriptors: before %s, now %s", listBefore,
                        describeFileDescriptors()).isLessThanOrEqualTo(before));
    }
}
