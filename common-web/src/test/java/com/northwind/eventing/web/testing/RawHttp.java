package com.northwind.eventing.web.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for sending request lines exactly as written: backslashes, dot segments, {@code %00}
 * and other spellings that {@code java.net.http} normalizes or refuses before they leave the client.
 */
public final class RawHttp {
    private final String host;
    private final int port;

    public RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** An answer: status, headers as received (name lower-cased), body as text, and how long it took. */
    public record Answer(int status, List<String[]> headers, String body, long millis) {
        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equals(name.toLowerCase(Locale.ROOT))) {
                    return h[1];
                }
            }
            return null;
        }

        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equals(name.toLowerCase(Locale.ROOT))) {
                    values.add(h[1]);
                }
            }
            return values;
        }

        public String contentType() {
            String type = header("content-type");
            return type == null ? "" : type;
        }
    }

    /** Sends {@code method target HTTP/1.1} with a Host header of {@code 127.0.0.1}, the given extra header lines. */
    public Answer send(String method, String target, String body, String... headerLines) {
        List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1:" + port));
        headers.addAll(List.of(headerLines));
        return exchange(method + " " + target + " HTTP/1.1", headers, body);
    }

    /** Sends the request line and header lines exactly as given (no Host added), then the body if any. */
    public Answer exchange(String requestLine, List<String> headerLines, String body) {
        long t0 = System.nanoTime();
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(requestLine).append("\r\n");
            for (String h : headerLines) {
                head.append(h).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            Answer a = parse(socket.getInputStream());
            return new Answer(a.status(), a.headers(), a.body(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.add(new String[] {name, value});
            chunked |= name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked");
        }
        String raw = end < 0 ? "" : text.substring(end + 4);
        String body = chunked ? dechunk(raw) : raw;
        return new Answer(
                status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), 0);
    }

    private static String dechunk(String raw) {
        StringBuilder b = new StringBuilder();
        int at = 0;
        while (at < raw.length()) {
            int eol = raw.indexOf("\r\n", at);
            int size = Integer.parseInt(raw.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            b.append(raw, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
        return b.toString();
    }
}
