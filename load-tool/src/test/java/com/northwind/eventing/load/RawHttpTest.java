package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RawHttpTest {
    @Test
    void shouldOpenANewConnectionWhenTheServerClosesAfterItsLastResponse() throws Exception {
        // given a server that, as Tomcat at max-keep-alive-requests, closes each connection after two responses
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serve(server, connections));
            serving.setDaemon(true);
            serving.start();

            // when five requests go over one client
            int accepted = 0;
            try (RawHttp http =
                    new RawHttp(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/events"), "t")) {
                for (int i = 0; i < 5; i++) {
                    if (http.post("{\"n\": " + i + "}").status() == 202) {
                        accepted++;
                    }
                }
            }

            // then every one is answered, over three connections
            assertThat(accepted).isEqualTo(5);
            assertThat(connections.get()).isEqualTo(3);
        }
    }

    private static void serve(ServerSocket server, AtomicInteger connections) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                connections.incrementAndGet();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                for (int n = 1; n <= 2; n++) {
                    int length = 0;
                    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                        if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            length = Integer.parseInt(h.substring(15).trim());
                        }
                    }
                    in.skip(length);
                    out.write(("HTTP/1.1 202 \r\nContent-Length: 2\r\n" + (n == 2 ? "Connection: close\r\n" : "")
                                    + "\r\n{}")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
