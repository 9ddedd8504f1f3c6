package io.poolrepos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;

/**
 * Tells whether an idle TCP connection is still quiet: the peer has not closed it and has sent
 * nothing unasked. Java has no peek, so this reads one byte without blocking; a byte read means the
 * stream is out of step anyway, so the connection is not usable whatever the read finds.
 *
 * <p>Switching blocking mode waits for any read in progress, so callers MUST hold the connection
 * alone, with no thread reading it: the pool calls this only from {@link ConnectionAdapter#isUsable},
 * only in pools that are not sharable, and only on a connection it has claimed.
 */
final class PeerProbe {

    private PeerProbe() {
    }

    static boolean isQuiet(SocketChannel channel) {
        try {
            boolean blocking = channel.isBlocking();
            if (blocking) {
                channel.configureBlocking(false);
            }
            try {
                return channel.read(ByteBuffer.allocate(1)) == 0;
            } finally {
                if (blocking) {
                    channel.configureBlocking(true);
                }
            }
        } catch (IllegalBlockingModeException ex) {
            // Registered with a selector: the owner's event loop watches it, we cannot probe.
            return true;
        } catch (IOException ex) {
            return false;
        }
    }
}
