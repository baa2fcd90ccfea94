package com.northwind.eventing.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ProblemsTest {
    @Test
    void shouldWriteTheStandardMembersThenTheExtensionsWhenWritingAProblem() throws Exception {
        ProblemDetail p = Problems.of(422, "validation", "Validation failed", "/tags/0: has a control character");
        Map<String, String> error = new java.util.LinkedHashMap<>();
        error.put("pointer", "/tags/0");
        error.put("detail", "has a control character");
        p.setProperty("errors", java.util.List.of(error));
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/events");
        MockHttpServletResponse response = new MockHttpServletResponse();

        Problems.write(request, response, p);

        assertThat(response.getStatus()).isEqualTo(422);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString())
                .isEqualTo("{\"type\":\"urn:eventing:problem:validation\",\"title\":\"Validation failed\","
                        + "\"status\":422,\"detail\":\"/tags/0: has a control character\",\"instance\":\"/v1/events\","
                        + "\"errors\":[{\"pointer\":\"/tags/0\",\"detail\":\"has a control character\"}]}");
    }

    @Test
    void shouldGiveACorrelationIdAndNoExceptionTextWhenTheFailureIsUnexpected() {
        ProblemDetail p = Problems.internal(
                LoggerFactory.getLogger(ProblemsTest.class),
                "in a test",
                new IllegalStateException("secret 123-45-6789"));

        assertThat(p.getStatus()).isEqualTo(500);
        assertThat(p.getType().toString()).isEqualTo("urn:eventing:problem:internal");
        String id = (String) p.getProperties().get(Problems.CORRELATION_ID);
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(p.getDetail()).contains(id).doesNotContain("123-45-6789");
    }
}
