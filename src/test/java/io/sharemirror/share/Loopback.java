package io.sharemirror.share;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1 for the servers the fixtures start (smbd, PostgreSQL). */
final class Loopback {

    private Loopback() {
    }

    /** A port free now; another process may take it before the server binds it, which is rare enough for tests. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
