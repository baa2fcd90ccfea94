package com.northwind.eventing.router.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedBytesStore;

/**
 * The in-memory store behind each registry global table. After every change it takes, restores included, it gives the
 * change to its {@link Listener} ({@link RegistryViews} for the router's tables), which compiles the tables into the
 * view the stream threads work with and publishes it; so the registry is compiled once per change, on the thread that
 * reads it, instead of per event or per task. Written by the global thread; stream threads read only the published
 * view.
 */
public final class RegistryStore implements KeyValueStore<Bytes, byte[]>, TimestampedBytesStore {
    /** The record timestamp in front of each value, as a global table's timestamped store keeps it. */
    private static final int TIMESTAMP_BYTES = 8;

    /**
     * What a registry table's changes go to, all on the global thread: {@link #changed} for each key written (restores
     * included), then {@link #publish} once per batch of changes.
     */
    public interface Listener {
        /** The store was opened, or closed (its entries are then gone). */
        void opened(boolean open);

        /** A key now holds {@code value} (the registry record's value, without the store's timestamp), or nothing. */
        void changed(String key, byte[] value);

        /** The changes so far are complete: compile and publish them. */
        void publish();
    }

    /** Supplies the store for a global table's {@code Materialized}. */
    static KeyValueBytesStoreSupplier supplier(String name, RegistryViews.Table table, RegistryViews views) {
        return supplier(name, new Listener() {
            @Override
            public void opened(boolean open) {
                views.opened(table, open);
            }

            @Override
            public void changed(String key, byte[] value) {
                views.changed(table, key, value);
            }

            @Override
            public void publish() {
                views.publish();
            }
        });
    }

    /** Supplies a store giving its changes to {@code listener}, for a global table's {@code Materialized}. */
    public static KeyValueBytesStoreSupplier supplier(String name, Listener listener) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new RegistryStore(name, listener);
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        };
    }

    private final String name;
    private final Listener views;
    private final ConcurrentSkipListMap<Bytes, byte[]> map = new ConcurrentSkipListMap<>();
    private volatile boolean open;

    private RegistryStore(String name, Listener views) {
        this.name = name;
        this.views = views;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // Restores write through this store too, so a table read again from its topic is counted as a change.
        context.register(root, (BatchingStateRestoreCallback) records -> {
            for (KeyValue<byte[], byte[]> r : records) {
                write(Bytes.wrap(r.key), r.value);
            }
            views.publish();
        });
        open = true;
        views.opened(true);
        views.publish();
    }

    private void write(Bytes key, byte[] value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
        views.changed(
                new String(key.get(), StandardCharsets.UTF_8),
                value == null
                        ? null
                        : Arrays.copyOfRange(value, Math.min(TIMESTAMP_BYTES, value.length), value.length));
    }

    @Override
    public void put(Bytes key, byte[] value) {
        write(key, value);
        views.publish();
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] old = map.get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> e : entries) {
            write(e.key, e.value);
        }
        views.publish();
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] old = map.get(key);
        write(key, null);
        views.publish();
        return old;
    }

    @Override
    public byte[] get(Bytes key) {
        return map.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(bounded(map, from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(bounded(map, from, to).descendingMap());
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(map);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(map.descendingMap());
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    @Override
    public void close() {
        open = false;
        map.clear();
        views.opened(false);
        views.publish();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The entries from {@code from} to {@code to}, both included, either end open when null. */
    private static NavigableMap<Bytes, byte[]> bounded(ConcurrentSkipListMap<Bytes, byte[]> map, Bytes from, Bytes to) {
        if (from != null && to != null) {
            return from.compareTo(to) > 0 ? new ConcurrentSkipListMap<>() : map.subMap(from, true, to, true);
        }
        if (from != null) {
            return map.tailMap(from, true);
        }
        return to != null ? map.headMap(to, true) : map;
    }

    /** A weakly consistent iterator: it sees the map as it is while it walks, never fails on a concurrent write. */
    private static KeyValueIterator<Bytes, byte[]> iterator(NavigableMap<Bytes, byte[]> entries) {
        Iterator<Map.Entry<Bytes, byte[]>> it = entries.entrySet().iterator();
        return new KeyValueIterator<>() {
            private Map.Entry<Bytes, byte[]> next;

            @Override
            public boolean hasNext() {
                if (next == null && it.hasNext()) {
                    next = it.next();
                }
                return next != null;
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Map.Entry<Bytes, byte[]> e = next;
                next = null;
                return KeyValue.pair(e.getKey(), e.getValue());
            }

            @Override
            public Bytes peekNextKey() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return next.getKey();
            }

            @Override
            public void close() {}
        };
    }
}
