package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class RegistryStoreTest {
    private final RegistryStore.Changes changes = new RegistryStore.Changes();
    private final KeyValueStore<Bytes, byte[]> store =
            RegistryStore.supplier("registry-test", changes).get();

    @Test
    void shouldCountEveryWriteWhenTheTableChanges() {
        long before = changes.count();

        store.put(key("a"), value("1"));
        store.put(key("a"), null);
        store.putAll(List.of(KeyValue.pair(key("b"), value("2")), KeyValue.pair(key("c"), value("3"))));
        store.delete(key("b"));

        assertThat(changes.count() - before).isEqualTo(4);
        assertThat(store.get(key("a"))).isNull();
        assertThat(store.get(key("b"))).isNull();
        assertThat(new String(store.get(key("c")), StandardCharsets.UTF_8)).isEqualTo("3");
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldNotCountReadsWhenTheTableIsOnlyRead() {
        store.put(key("a"), value("1"));
        long before = changes.count();

        store.get(key("a"));
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {});
        }

        assertThat(changes.count()).isEqualTo(before);
    }

    @Test
    void shouldWalkKeysInOrderWhenRangesAreAsked() {
        for (String k : List.of("d", "a", "c", "b")) {
            store.put(key(k), value(k));
        }

        assertThat(keys(store.all())).containsExactly("a", "b", "c", "d");
        assertThat(keys(store.range(key("b"), key("c")))).containsExactly("b", "c");
        assertThat(keys(store.range(key("c"), key("b")))).isEmpty();
        assertThat(keys(store.reverseRange(key("b"), key("d")))).containsExactly("d", "c", "b");
        assertThat(keys(store.reverseAll())).containsExactly("d", "c", "b", "a");
    }

    private static List<String> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> keys.add(new String(kv.key.get(), StandardCharsets.UTF_8)));
        }
        return keys;
    }

    private static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }
}
