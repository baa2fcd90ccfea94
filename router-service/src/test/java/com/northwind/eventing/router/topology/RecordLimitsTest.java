package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class RecordLimitsTest {
    /**
     * The router refuses a copy before the send when it would not fit; so its bound must never be below the size the
     * producer checks against {@code max.request.size}, or a copy the broker refuses would abort the transaction.
     */
    @Test
    void shouldNeverBoundBelowWhatTheProducerComputes() {
        for (int valueBytes : new int[] {0, 1, 127, 128, 300, 16_383, 16_384, 1_048_576}) {
            for (String headerKey : new String[] {"eventing-event-id", "tracé-ünïcode-€", "日本語のキー"}) {
                byte[] key = "tx-42".getBytes(StandardCharsets.UTF_8);
                byte[] value = new byte[valueBytes];
                RecordHeaders headers = new RecordHeaders();
                headers.add(headerKey, "0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d".getBytes(StandardCharsets.UTF_8));
                headers.add("eventing-synthetic", null);

                int kafka = AbstractRecords.estimateSizeInBytesUpperBound(
                        RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, value, headers.toArray());

                assertThat(RecordLimits.upperBound(key, value, headers))
                        .as("%d-byte value, header %s", valueBytes, headerKey)
                        .isGreaterThanOrEqualTo(kafka)
                        .isLessThanOrEqualTo(kafka + 64);
            }
        }
    }

    @Test
    void shouldCountAMissingKeyAndNoHeaders() {
        int kafka = AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, null, new byte[10], new Header[0]);

        assertThat(RecordLimits.upperBound(null, new byte[10], null)).isGreaterThanOrEqualTo(kafka);
    }
}
