package com.northwind.eventing.intake.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.common.json.JsonLimits;
import com.northwind.eventing.intake.publish.Body;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.PublishRequest;
import com.northwind.eventing.intake.publish.RequestReader;
import com.northwind.eventing.schema.grpc.Metadata;
import org.junit.jupiter.api.Test;

class ProtoMapperTest {
    private static final RequestReader READER = new RequestReader(JsonLimits.DEFAULT);

    /** The body of a request that has only this body text, as the core gets it. */
    private static Body body(String json) {
        return ProtoMapper.toRequest(
                        com.northwind.eventing.schema.grpc.PublishRequest.newBuilder()
                                .setBody(json)
                                .build(),
                        READER)
                .body();
    }

    @Test
    void shouldCarryEveryFieldWhenAllAreSet() {
        var proto = com.northwind.eventing.schema.grpc.PublishRequest.newBuilder()
                .setNoun("Claim")
                .setVerb("Submitted")
                .setObject("Grpc")
                .setSubObject("Dental")
                .setKey("k-1")
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-1")
                        .setUserId("u-7")
                        .setTimestamp("2026-11-22T10:15:30Z")
                        .setTransactionType("ONLINE")
                        .setSourceSystem("portal"))
                .addTags("state:TX")
                .setSynthetic(true)
                .setBody("{\"claimId\": \"C-1\", \"amount\": 125.5}")
                .build();

        PublishRequest r = ProtoMapper.toRequest(proto, READER);

        assertThat(r.noun()).isEqualTo("Claim");
        assertThat(r.verb()).isEqualTo("Submitted");
        assertThat(r.object()).isEqualTo("Grpc");
        assertThat(r.subObject()).isEqualTo("Dental");
        assertThat(r.key()).isEqualTo("k-1");
        assertThat(r.metadata())
                .isEqualTo(new PublishRequest.Metadata("tx-1", "u-7", "2026-11-22T10:15:30Z", "ONLINE", "portal"));
        assertThat(r.tags()).containsExactly("state:TX");
        assertThat(r.synthetic()).isTrue();
        assertThat(r.body().tree().toString()).isEqualTo("{\"claimId\":\"C-1\",\"amount\":125.5}");
        // The envelope gets the body's text as the producer sent it, not the tree written out again.
        assertThat(r.body().json()).isEqualTo("{\"claimId\": \"C-1\", \"amount\": 125.5}");
    }

    @Test
    void shouldKeepTheBodyTextWithoutTheWhitespaceAroundIt() {
        assertThat(body(" \r\n\t{\"a\": [1, 2]}\n ").json()).isEqualTo("{\"a\": [1, 2]}");
        assertThat(body("[ {\"é\": \"\\u00e9\"} ]").json()).isEqualTo("[ {\"é\": \"\\u00e9\"} ]");
    }

    @Test
    void shouldWriteAScalarBodyFromItsTree() {
        assertThat(body(" 1.50 ").text()).isNull();
        assertThat(body(" 1.50 ").json()).isEqualTo("1.50");
    }

    @Test
    void shouldLeaveOptionalFieldsNullWhenAbsent() {
        var proto = com.northwind.eventing.schema.grpc.PublishRequest.newBuilder()
                .setMetadata(Metadata.newBuilder().setTransactionId("tx-1"))
                .build();

        PublishRequest r = ProtoMapper.toRequest(proto, READER);

        assertThat(r.subObject()).isNull();
        assertThat(r.key()).isNull();
        assertThat(r.metadata()).isEqualTo(new PublishRequest.Metadata("tx-1", null, null, null, null));
        assertThat(r.synthetic()).isFalse();
        assertThat(r.body()).isNull();
    }

    @Test
    void shouldLeaveMetadataNullWhenAbsent() {
        PublishRequest r =
                ProtoMapper.toRequest(com.northwind.eventing.schema.grpc.PublishRequest.getDefaultInstance(), READER);

        assertThat(r.metadata()).isNull();
    }

    @Test
    void shouldRefuseAsMalformedWhenTheBodyGivesAMemberTwice() {
        assertThatThrownBy(() -> body("{\"claimId\": \"C-1\", \"claimId\": \"C-2\"}"))
                .isInstanceOfSatisfying(PublishException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PublishException.Kind.MALFORMED);
                    assertThat(e.getMessage())
                            .startsWith("the body is not valid JSON")
                            .doesNotContain("claimId");
                });
    }

    @Test
    void shouldRefuseAsMalformedWhenTheBodyIsNotJson() {
        assertThatThrownBy(() -> body("{\"ssn\": \"123-45-6789\""))
                .isInstanceOfSatisfying(PublishException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PublishException.Kind.MALFORMED);
                    assertThat(e.getMessage()).doesNotContain("123-45-6789");
                });
    }

    @Test
    void shouldRefuseAsMalformedWhenSomethingFollowsTheBody() {
        assertThatThrownBy(() -> body("{} {}"))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.MALFORMED));
    }

    @Test
    void shouldRefuseAsMalformedWhenTheBodyIsNestedTooDeep() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> body(deep))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.MALFORMED));
    }

    @Test
    void shouldTakeAnyJsonValueAsBodyWhenWellFormed() {
        assertThat(body("\"text\"").tree().isString()).isTrue();
        assertThat(body("null").tree().isNull()).isTrue();
        assertThat(body("  ")).isNull();
    }
}
