package io.poolrepos.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed server identities for TLS tests, made by the JDK's own {@code keytool} once per JVM in a
 * temporary directory: nothing is shipped, and nothing expires in the repository. Thread-safe.
 *
 * <p>Shared with other modules through the core's test jar.
 */
public final class TestCertificates {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Map<String, Identity> MADE = new ConcurrentHashMap<>();
    private static Path directory;

    private TestCertificates() {
    }

    /**
     * A server identity: a PKCS12 key store with the key and its self-signed certificate, and the
     * certificate alone as PEM (what a client's trust store needs).
     */
    public record Identity(String alias, Path keyStore, Path certificatePem) {

        /** A context for a server that presents this identity. */
        public SSLContext serverContext() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keyStore)) {
                    ks.load(in, PASSWORD);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, PASSWORD);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Issued for 127.0.0.1 and localhost. */
    public static Identity localhost() {
        return identity("localhost", "ip:127.0.0.1,dns:localhost");
    }

    /** A second, unrelated identity for 127.0.0.1 and localhost: a rotated certificate. */
    public static Identity rotatedLocalhost() {
        return identity("rotated", "ip:127.0.0.1,dns:localhost");
    }

    /** Issued for another host only: a client connecting to 127.0.0.1 must refuse it. */
    public static Identity otherHost() {
        return identity("other", "dns:other.invalid");
    }

    /** A client context that trusts exactly the given identities' certificates. */
    public static SSLContext trusting(Identity... identities) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Identity identity : identities) {
                try (InputStream in = Files.newInputStream(identity.certificatePem())) {
                    Certificate certificate = cf.generateCertificate(in);
                    trust.setCertificateEntry(identity.alias(), certificate);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Identity identity(String alias, String subjectAlternativeNames) {
        return MADE.computeIfAbsent(alias, a -> make(a, subjectAlternativeNames));
    }

    private static synchronized Identity make(String alias, String subjectAlternativeNames) {
        try {
            if (directory == null) {
                directory = Files.createTempDirectory("pool-repos-certs");
                directory.toFile().deleteOnExit();
            }
            Path keyStore = directory.resolve(alias + ".p12");
            Path pem = directory.resolve(alias + ".pem");
            keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + alias, "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                    "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
            keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(),
                    "-storepass", new String(PASSWORD), "-rfc", "-file", pem.toString());
            keyStore.toFile().deleteOnExit();
            pem.toFile().deleteOnExit();
            return new Identity(alias, keyStore, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
