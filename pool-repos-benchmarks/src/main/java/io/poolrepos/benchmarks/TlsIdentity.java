package io.poolrepos.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS identity of the benchmark's server: a self-signed EC (P-256) certificate for 127.0.0.1 and
 * localhost, made by the JDK's own {@code keytool} in a temporary directory the first time a JVM asks
 * for it (about a second, before any measurement), so nothing is shipped and nothing expires in the
 * repository. The client trusts exactly this certificate. Thread-safe.
 */
final class TlsIdentity {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "kv-server";

    private final SSLContext serverContext;
    private final SSLContext clientContext;

    private TlsIdentity(KeyStore keyStore) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Certificate certificate = keyStore.getCertificate(ALIAS);
        trust.setCertificateEntry(ALIAS, certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
    }

    /** The identity of this JVM, made on first use. */
    static TlsIdentity get() {
        return Holder.INSTANCE;
    }

    /** For the server: presents the certificate. */
    SSLContext serverContext() {
        return serverContext;
    }

    /** For clients: trusts the server's certificate and nothing else. */
    SSLContext clientContext() {
        return clientContext;
    }

    private static final class Holder {
        static final TlsIdentity INSTANCE = make();
    }

    private static TlsIdentity make() {
        try {
            Path directory = Files.createTempDirectory("pool-repos-bench-tls");
            Path keyStore = directory.resolve(ALIAS + ".p12");
            try {
                keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=" + ALIAS, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                        "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keyStore)) {
                    ks.load(in, PASSWORD);
                }
                return new TlsIdentity(ks);
            } finally {
                Files.deleteIfExists(keyStore);
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the key store keytool made", e);
        }
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }
}
