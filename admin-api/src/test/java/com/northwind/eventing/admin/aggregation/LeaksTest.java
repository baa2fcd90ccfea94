package com.northwind.eventing.admin.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.AggregationInput;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.model.Violations;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class LeaksTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldNarrowAnArraySensitivePathToTheKeptFieldWhenTheFieldHoldsIt() {
        List<String> copied = Leaks.copiedPart(List.of("lines"), JsonPointers.parse("/lines/*/code"));

        assertThat(copied).containsExactly("lines", "*", "code");
    }

    @Test
    void shouldCopyTheFieldItselfWhenTheFieldLiesUnderTheSensitivePath() {
        List<String> under = Leaks.copiedPart(List.of("member", "ssn", "last4"), JsonPointers.parse("/member/ssn"));
        List<String> apart = Leaks.copiedPart(List.of("member", "id"), JsonPointers.parse("/member/ssn"));

        assertThat(under).containsExactly("member", "ssn", "last4");
        assertThat(apart).isNull();
    }

    @Test
    void shouldCoverEveryElementOnlyWhenTheDeclaredPathHasAStarThere() {
        List<SensitiveField> oneElement = List.of(new SensitiveField("/events/T/lines/0/code", "PHI"));
        List<SensitiveField> everyMember = List.of(new SensitiveField("/events/*/lines", "PHI"));
        List<String> required = JsonPointers.parse("/events/T/lines/*/code");

        boolean byOne = Leaks.covered(oneElement, required, "PHI");
        boolean byEvery = Leaks.covered(everyMember, required, "PHI");
        boolean byOtherClass = Leaks.covered(everyMember, required, "PII");

        assertThat(byOne).isFalse();
        assertThat(byEvery).isTrue();
        assertThat(byOtherClass).isFalse();
    }

    @Test
    void shouldRefuseAFieldAnOlderVersionDeclaredSensitiveWhenTheLatestNoLongerDoes() {
        EventType input = type("Claim.Submitted.Old", List.of(new SensitiveField("/member/dob", "PHI")), List.of());
        EventType output = type("Claim.Joined.Old", List.of(), List.of());
        Aggregation rule = new Aggregation(
                "older",
                "absence",
                null,
                null,
                null,
                null,
                new AggregationInput("Claim.Submitted.Old", "/claimId"),
                new AggregationInput("Claim.Priced.Old", "/claimId"),
                "PT1H",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "Claim.Joined.Old",
                AT);
        Violations v = new Violations();

        Leaks.check(
                v,
                "Claim.Joined.Old",
                output,
                RuleRead.of(rule),
                List.of(input, type("Claim.Priced.Old", List.of(), List.of())));

        assertThat(v.list())
                .containsExactly(new Violation(
                        "/start",
                        "copies /member/dob, a PHI field of event type Claim.Submitted.Old; output type"
                                + " Claim.Joined.Old must declare /start/member/dob (or a path above it) as PHI"));
    }

    /** A type with a first and a latest version declaring the given fields. */
    private static EventType type(String name, List<SensitiveField> first, List<SensitiveField> latest) {
        String[] nvo = name.split("\\.");
        var schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        return new EventType(
                nvo[0],
                nvo[1],
                nvo[2],
                null,
                "claims-team",
                30,
                null,
                List.of(new EventTypeVersion(1, schema, first, AT), new EventTypeVersion(2, schema, latest, AT)),
                AT,
                AT);
    }
}
