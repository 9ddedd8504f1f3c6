package io.poolrepos;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Thrown by {@link TlsConnectionFactory#connect} when the TLS handshake fails; {@code acquire} reports
 * it as the cause of a {@link ConnectFailedException}. {@link #getFailure()} says what went wrong; the
 * JDK's exception is the cause. The TCP connection is closed. Immutable and thread-safe.
 */
public final class TlsHandshakeException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    /** What made a handshake fail. */
    public enum Failure {
        /** The server's certificate chain is not trusted by the context's trust material (or has expired). */
        UNTRUSTED_CERTIFICATE("the server's certificate is not trusted; add its issuer to the trust store"),
        /** The server's certificate is trusted but not issued for the host of the name. */
        HOSTNAME_MISMATCH("the server's certificate does not name this host; connect by a name the "
                + "certificate lists, or turn hostname verification off if you must"),
        /** The server sent nothing for the handshake timeout. */
        TIMED_OUT("the server did not complete the handshake within the handshake timeout"),
        /** Anything else: no common protocol or cipher, the server refused our certificate, a reset. */
        REJECTED("the handshake was refused");

        private final String advice;

        Failure(String advice) {
            this.advice = advice;
        }
    }

    private final Failure failure;

    private TlsHandshakeException(Failure failure, String message, Throwable cause) {
        super(message);
        this.failure = failure;
        initCause(cause);
    }

    /** The failure of a handshake with {@code name} that ended in {@code cause}. */
    static TlsHandshakeException of(String name, Throwable cause) {
        Failure failure = classify(cause);
        String masked = NameMasking.mask(name);
        return new TlsHandshakeException(failure, "TLS handshake with " + masked + " failed: " + failure.advice
                + " (" + NameMasking.maskWithin(String.valueOf(cause), name) + ")", cause);
    }

    public Failure getFailure() {
        return failure;
    }

    /**
     * The JDK reports each of these through a chain of causes: a certificate path that could not be
     * built or validated means untrusted; a certificate exception about names (the JDK's hostname
     * check, "No subject alternative names matching ..." or "No name matching ...") means a mismatch.
     */
    private static Failure classify(Throwable cause) {
        Failure failure = Failure.REJECTED;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return Failure.TIMED_OUT;
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || t instanceof java.security.cert.CertificateExpiredException
                    || t instanceof java.security.cert.CertificateNotYetValidException) {
                return Failure.UNTRUSTED_CERTIFICATE;
            }
            if (t instanceof CertificateException && t.getMessage() != null
                    && (t.getMessage().startsWith("No subject alternative") || t.getMessage().startsWith("No name matching"))) {
                failure = Failure.HOSTNAME_MISMATCH;
            }
        }
        return failure;
    }
}
