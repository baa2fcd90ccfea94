package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.northwind.eventing.schema.grpc.Metadata;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishStreamResponse;
import com.northwind.eventing.schema.grpc.Receipt;
import org.junit.jupiter.api.Test;

class GrpcLoadTest {
    @Test
    void encodedRequestsAreTheBytesOfTheGeneratedMessage() throws Exception {
        // Sizes on both sides of a varint's byte boundary: a 300-byte body needs two bytes of length, a 10-byte one.
        for (int bodyBytes : new int[] {10, 100, 300, 20_000}) {
            LoadMain.Run run = new LoadMain.Run(1, 0, bodyBytes);
            GrpcLoad.Requests requests = new GrpcLoad.Requests(run);
            for (long id : new long[] {0, 7, 127, 128, 99_999, 3_000_000_000L}) {
                PublishRequest expected = PublishRequest.newBuilder()
                        .setNoun("Load")
                        .setVerb("Tested")
                        .setObject("Event")
                        .setMetadata(Metadata.newBuilder().setTransactionId("load-" + id))
                        .setBody(run.body(id))
                        .build();

                byte[] encoded = requests.encode(id);

                assertThat(encoded).isEqualTo(expected.toByteArray());
                assertThat(PublishRequest.parseFrom(encoded)).isEqualTo(expected);
            }
        }
    }

    @Test
    void answersAreReadForTheirSequenceAndOutcome() throws Exception {
        PublishStreamResponse receipt = PublishStreamResponse.newBuilder()
                .setSequence(3_000_000_000L)
                .setReceipt(Receipt.newBuilder()
                        .setEventId("0190b5c3-0000-7000-8000-000000000000")
                        .setEventType("Load.Tested.Event")
                        .setPartition(5)
                        .setOffset(1L << 40))
                .build();
        PublishStreamResponse error = PublishStreamResponse.newBuilder()
                .setSequence(7)
                .setError(com.google.rpc.Status.newBuilder().setCode(8).setMessage("app load is over its rate limit"))
                .build();

        assertThat(parse(receipt)).isEqualTo(new GrpcLoad.Answer(3_000_000_000L, null));
        assertThat(parse(error)).isEqualTo(new GrpcLoad.Answer(7, "app load is over its rate limit"));
        assertThat(parse(PublishStreamResponse.newBuilder().setSequence(1).build())
                        .error())
                .as("an answer without an outcome counts as failed")
                .isNotNull();
    }

    private static GrpcLoad.Answer parse(PublishStreamResponse response) throws Exception {
        return GrpcLoad.Answer.parse(CodedInputStream.newInstance(response.toByteArray()));
    }
}
