package com.northwind.eventing.intake.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.contract.GrpcTransport;
import com.northwind.eventing.intake.contract.Outcome;
import com.northwind.eventing.intake.publish.Publisher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The listener as Spring runs it: started with the context, on a free port when asked for 0, stopped with it. */
class GrpcServerLifecycleTest {
    @Test
    void shouldListenWhileTheContextRunsWhenThePortIsZero() {
        try (GrpcFixture fixture = new GrpcFixture(5, 4)) {
            fixture.server.stop();
            int[] port = {-1};
            ApplicationContextRunner runner = new ApplicationContextRunner()
                    .withBean(Publisher.class, () -> fixture.publisher)
                    .withBean(IntakeProperties.class, () -> properties(0, 10))
                    .withBean(GrpcServer.class);

            runner.run(context -> {
                GrpcServer server = context.getBean(GrpcServer.class);
                port[0] = server.port();
                try (GrpcTransport transport = new GrpcTransport("127.0.0.1:" + port[0])) {
                    Outcome o = transport.publish(GrpcFixture.TOKEN, GrpcFixture.claim("Grpc", "tx-1"), null);

                    assertThat(server.isRunning()).isTrue();
                    assertThat(o.ok()).as(o.detail()).isTrue();
                }
            });

            assertThat(port[0]).isPositive();
            try (GrpcTransport transport = new GrpcTransport("127.0.0.1:" + port[0])) {
                Outcome afterClose = transport.publish(GrpcFixture.TOKEN, GrpcFixture.claim("Grpc", "tx-2"), null);
                assertThat(afterClose.error()).isEqualTo("grpc-unavailable");
            }
        }
    }

    @Test
    void shouldFailAtStartWhenMaxInFlightIsBelowOne() {
        assertThatThrownBy(() -> new GrpcServer(null, properties(0, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventing.grpc.max-in-flight-per-stream");
    }

    private static IntakeProperties properties(int port, int maxInFlight) {
        return new IntakeProperties(
                null, null, null, null, null, new IntakeProperties.Grpc("127.0.0.1", port, maxInFlight), null);
    }
}
