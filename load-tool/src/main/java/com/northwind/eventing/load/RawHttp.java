package com.northwind.eventing.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal keep-alive HTTP/1.1 client over one socket: a request out, a response in. The JDK's HttpClient costs more
 * CPU per request than the intake itself, and the load tool shares two cores with the broker and the intake, so it
 * must be cheap.
 */
final class RawHttp implements AutoCloseable {
    private final URI uri;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] head;
    private boolean closing;

    RawHttp(URI uri, String token) throws IOException {
        this.uri = uri;
        connect();
        head = ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                        + "\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void connect() throws IOException {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        closing = false;
    }

    /** The response: its status and body. */
    record Response(int status, String body) {}

    Response post(String json) throws IOException {
        if (closing) {
            // The server closes after its last response on a connection (Tomcat: every N requests); open another.
            socket.close();
            connect();
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(head);
        out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Connection")
                    && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                closing = true;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")
                    && h.toLowerCase().contains("chunked")) {
                chunked = true;
            }
        }
        return new Response(
                status,
                chunked ? chunkedBody() : new String(in.readNBytes(Math.max(length, 0)), StandardCharsets.UTF_8));
    }

    /** Whether the server said it closes the connection after this response (Tomcat does every N requests). */
    boolean closing() {
        return closing;
    }

    private String chunkedBody() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
            body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            line();
        }
        line();
        return body.toString();
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
