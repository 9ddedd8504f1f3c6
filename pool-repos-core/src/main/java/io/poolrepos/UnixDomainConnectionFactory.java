package io.poolrepos;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens Unix domain stream connections: names are socket paths ({@code /run/app/backend.sock},
 * relative paths from the working directory), connections are blocking {@link SocketChannel}s, checked
 * by {@link ConnectionAdapter#socketChannels()} as TCP channels are (a peer's close or unasked bytes
 * are noticed before hand-out). Stateless and thread-safe.
 *
 * <p>A name that is not a path fails with an {@link InvalidArgumentException}; a path where no file
 * exists with a {@link NoSuchFileException}; a file nobody listens on (a socket left behind by a
 * server that stopped, or not a socket at all) with the JDK's {@code SocketException}. {@code acquire}
 * reports each as the cause of a {@link ConnectFailedException} naming the pool and the path.
 */
public final class UnixDomainConnectionFactory implements ConnectionFactory<SocketChannel> {

    private static final UnixDomainConnectionFactory INSTANCE = new UnixDomainConnectionFactory();

    private UnixDomainConnectionFactory() {
    }

    public static UnixDomainConnectionFactory create() {
        return INSTANCE;
    }

    @Override
    public SocketChannel connect(String name) throws IOException {
        UnixDomainSocketAddress address = parse(name);
        if (!Files.exists(address.getPath())) {
            throw new NoSuchFileException(name, null, "no Unix domain socket at this path; is the server running, "
                    + "and is the path the one it listens on?");
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(address);
            return channel;
        } catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    static UnixDomainSocketAddress parse(String name) {
        Checks.name(name, "name");
        try {
            return UnixDomainSocketAddress.of(Path.of(name));
        } catch (InvalidPathException ex) {
            throw new InvalidArgumentException("name", "name must be a Unix domain socket path, was '" + name
                    + "': " + ex.getReason());
        }
    }

    @Override
    public String toString() {
        return "UnixDomainConnectionFactory";
    }
}
