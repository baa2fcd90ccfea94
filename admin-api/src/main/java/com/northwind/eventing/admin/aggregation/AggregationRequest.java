package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.AggregationInput;
import com.northwind.eventing.common.model.SlaThreshold;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code POST /v1/aggregations} and {@code PUT /v1/aggregations/{id}}: a rule as {@link Aggregation}
 * describes it.
 *
 * @param createdAt the server's: taken so that a rule read with {@code GET} can be sent back as it is, and ignored
 */
record AggregationRequest(
        String id,
        String kind,
        String description,
        List<AggregationInput> inputs,
        String window,
        Boolean ordered,
        AggregationInput start,
        AggregationInput expected,
        String deadline,
        String eventType,
        String key,
        String tagPrefix,
        String hop,
        AggregationInput end,
        String timeout,
        SlaThreshold threshold,
        String output,
        Instant createdAt) {

    /** The rule under {@code id}, created at {@code at}; the model's own checks run here. */
    Aggregation toRule(String id, Instant at) {
        return new Aggregation(
                id,
                kind,
                description,
                inputs,
                window,
                ordered,
                start,
                expected,
                deadline,
                eventType,
                key,
                tagPrefix,
                hop,
                end,
                timeout,
                threshold,
                output,
                at);
    }
}
