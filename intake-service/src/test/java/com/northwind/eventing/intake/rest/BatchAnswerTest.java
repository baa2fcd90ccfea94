package com.northwind.eventing.intake.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.intake.publish.RequestJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAnswerTest {
    /** The batch answer written by hand is byte for byte what Jackson writes for its records. */
    @Test
    void shouldRenderTheSameJsonAsTheMapperWhenResultsMixReceiptsAndProblems() {
        EventServlet.BatchResults batch = new EventServlet.BatchResults(List.of(
                EventServlet.success(
                        0, new Receipt("01a2-\"quoted\"-é", "Claim.Submitted.Reconsideration", 5, 1L << 40)),
                EventServlet.failure(
                        1,
                        PublishException.invalid(List.of(
                                new Violation("/body/amount", "must be a number"),
                                new Violation("/metadata/transactionId", "transactionId is required")))),
                EventServlet.failure(
                        2,
                        new PublishException(
                                PublishException.Kind.RATE_LIMITED,
                                "over the limit",
                                List.of(),
                                Duration.ofSeconds(2))),
                EventServlet.success(3, new Receipt("e3", "Claim.Submitted.Reconsideration", 0, 0))));

        String rendered = new String(EventServlet.render(RequestJson.MAPPER, batch), StandardCharsets.UTF_8);

        assertThat(rendered).isEqualTo(RequestJson.MAPPER.writeValueAsString(batch));
        assertThat(RequestJson.MAPPER
                        .readTree(rendered)
                        .at("/results/1/error/errors/1/pointer")
                        .asString())
                .isEqualTo("/metadata/transactionId");
    }

    @Test
    void shouldRenderAnEmptyBatch() {
        assertThat(new String(
                        EventServlet.render(RequestJson.MAPPER, new EventServlet.BatchResults(List.of())),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"results\":[]}");
    }
}
