package com.northwind.eventing.admin.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemHandlerTest {
    /** Each violation reads pointer first, then detail, in every answer and after every restart. */
    @Test
    @SuppressWarnings("unchecked")
    void shouldListEachViolationPointerFirstWhenValidationFails() {
        var problem = ProblemHandler.validationProblem(
                List.of(new Violation("/schema", "is not a JSON Schema"), new Violation("/noun", "is required")));

        List<Map<String, String>> errors =
                (List<Map<String, String>>) problem.getProperties().get("errors");

        assertThat(errors).hasSize(2);
        errors.forEach(e -> assertThat(e.keySet()).containsExactly("pointer", "detail"));
        assertThat(errors.get(1)).containsEntry("pointer", "/noun").containsEntry("detail", "is required");
    }

    @Test
    void shouldAnswer500WithOnlyACorrelationIdWhenFailureIsUnexpected() {
        // given a failure whose message must not reach the caller
        var request = new org.springframework.mock.web.MockHttpServletRequest("POST", "/v1/apps");

        // when
        var answer = new ProblemHandler().unexpected(new IllegalStateException("member ssn 123-45-6789"), request);

        // then
        var problem = answer.getBody();
        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(problem.getType().toString()).isEqualTo("urn:eventing:problem:internal");
        String id = (String) problem.getProperties().get("correlationId");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(problem.getDetail()).isEqualTo("an unexpected error occurred; it was logged under " + id);
    }
}
