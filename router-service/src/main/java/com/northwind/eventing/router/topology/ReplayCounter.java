package com.northwind.eventing.router.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each replay's records as delivered or skipped: the tallies of the replay topic's tasks, repartitioned by replay
 * id so that one task holds a replay's whole count, added up in a persistent, changelogged store (two longs per replay
 * id) and forwarded as the new {@code {"id", "delivered", "skipped"}}, keyed by replay id, for the compacted counts
 * topic. Under exactly-once the store, the tally's offset and the forwarded count commit together.
 */
final class ReplayCounter implements Processor<byte[], byte[], byte[], byte[]> {
    private final String storeName;
    private KeyValueStore<String, byte[]> counts;
    private ProcessorContext<byte[], byte[]> context;

    ReplayCounter(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.counts = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> tally) {
        String replayId = new String(tally.key(), StandardCharsets.UTF_8);
        boolean delivered = tally.value()[0] == RoutingProcessor.DELIVERED[0];
        byte[] known = counts.get(replayId);
        ByteBuffer before = known == null ? ByteBuffer.allocate(16) : ByteBuffer.wrap(known);
        long d = before.getLong(0) + (delivered ? 1 : 0);
        long s = before.getLong(8) + (delivered ? 0 : 1);
        counts.put(replayId, ByteBuffer.allocate(16).putLong(d).putLong(s).array());
        // The id matched the replay id pattern before it was tallied: nothing in it needs escaping.
        byte[] value = ("{\"id\":\"" + replayId + "\",\"delivered\":" + d + ",\"skipped\":" + s + "}")
                .getBytes(StandardCharsets.UTF_8);
        context.forward(tally.withValue(value));
    }
}
