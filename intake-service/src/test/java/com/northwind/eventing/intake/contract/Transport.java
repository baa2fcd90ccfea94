package com.northwind.eventing.intake.contract;

import java.util.List;

/** One way of publishing (REST or gRPC), as the contract suite drives it. */
public interface Transport extends AutoCloseable {
    /** Publishes one event given as the JSON of the REST body; {@code token} may be null for none. */
    Outcome publish(String token, String eventJson, String traceparent);

    /** Publishes a batch; one outcome per event, in order. */
    List<Outcome> publishBatch(String token, List<String> eventJsons);

    @Override
    void close();
}
