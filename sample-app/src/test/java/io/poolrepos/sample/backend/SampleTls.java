package io.poolrepos.sample.backend;

import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The two sides of the demo's TLS identity, made from the same PEM files as the SSL bundles in
 * {@code application.yml}: the backend's (certificate and key) and a client's (trusts that certificate).
 */
public final class SampleTls {

    private static final String CERTIFICATE = "classpath:tls/backend.crt";
    private static final String PRIVATE_KEY = "classpath:tls/backend.key";

    private SampleTls() {
    }

    /** What the embedded TLS backend presents, as bundle {@code sample-backend-server}. */
    public static SSLContext serverContext() {
        return SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(CERTIFICATE).withPrivateKey(PRIVATE_KEY), null)).createSslContext();
    }

    /** What the {@code secure} pool trusts, as bundle {@code sample-backend-trust}. */
    public static SSLContext clientContext() {
        return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(CERTIFICATE)))
                .createSslContext();
    }
}
