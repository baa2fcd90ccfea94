package com.northwind.eventing.intake.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    /** Each violation reads pointer first, then detail, in every answer and after every restart. */
    @Test
    void shouldListEachViolationPointerFirstWhenMappingViolations() {
        List<Map<String, String>> errors = ErrorMapper.errors(
                List.of(new Violation("/body/amount", "must be a number"), new Violation("/metadata", "is required")));

        assertThat(errors).hasSize(2);
        errors.forEach(e -> assertThat(e.keySet()).containsExactly("pointer", "detail"));
        assertThat(errors.get(0)).containsEntry("pointer", "/body/amount").containsEntry("detail", "must be a number");
    }
}
