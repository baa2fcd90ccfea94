package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.RegistryTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryStoreTest {
    private final RegistryViews views = new RegistryViews();
    private final KeyValueStore<Bytes, byte[]> store = RegistryStore.supplier(
                    "registry-test", RegistryViews.Table.APPS, views)
            .get();

    @BeforeEach
    void open() {
        for (RegistryViews.Table t : RegistryViews.Table.values()) {
            views.opened(t, true);
        }
        views.publish();
    }

    @Test
    void shouldPublishAViewWithEveryWriteWhenTheTableChanges() {
        store.put(key("a"), app("a"));
        RegistryView afterPut = views.current();
        store.put(key("a"), null);
        RegistryView afterTombstone = views.current();
        store.putAll(List.of(KeyValue.pair(key("b"), app("b")), KeyValue.pair(key("c"), app("c"))));
        RegistryView afterPutAll = views.current();
        store.delete(key("b"));

        assertThat(afterPut.app("a").id()).isEqualTo("a");
        assertThat(afterTombstone.app("a")).isNull();
        assertThat(afterPutAll.app("b").id()).isEqualTo("b");
        assertThat(views.current().app("b")).isNull();
        assertThat(views.current().app("c").id()).isEqualTo("c");
        assertThat(store.get(key("a"))).isNull();
        assertThat(new String(store.get(key("c")), StandardCharsets.UTF_8)).contains("\"c\"");
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheViewWhenTheTableIsOnlyRead() {
        store.put(key("a"), app("a"));
        RegistryView before = views.current();

        store.get(key("a"));
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {});
        }

        assertThat(views.current()).isSameAs(before);
    }

    @Test
    void shouldPublishNoViewWhenATableIsClosed() {
        store.put(key("a"), app("a"));

        store.close();

        assertThat(views.current()).isNull();
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

    /** An app's registry value as a global table's store holds it: behind its record's timestamp. */
    private static byte[] app(String id) {
        return timestamped(RegistryTopics.JSON.writeValueAsBytes(
                new App(id, "team", List.of(), List.of(), List.of(), null, Instant.EPOCH, Instant.EPOCH)));
    }

    private static byte[] timestamped(byte[] value) {
        return java.nio.ByteBuffer.allocate(8 + value.length)
                .putLong(42L)
                .put(value)
                .array();
    }
}
