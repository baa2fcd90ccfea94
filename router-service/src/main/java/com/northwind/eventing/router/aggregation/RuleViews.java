package com.northwind.eventing.router.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.router.topology.RegistryStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the aggregations and event types global tables into a {@link RuleView} and publishes it, on the thread that
 * reads the registry topics: a value is parsed once per change (a value whose bytes are the same keeps its parsed
 * instance), never per event. A value that cannot be read is left out of the view with a warning naming its key.
 */
final class RuleViews {
    private static final Logger log = LoggerFactory.getLogger(RuleViews.class);

    private final Map<String, Parsed<Rule>> rules = new HashMap<>();
    private final Map<String, Parsed<EventType>> eventTypes = new HashMap<>();
    private boolean rulesOpen;
    private boolean typesOpen;
    /** Grows with every change of the rules (not of event types): a processor sweeps its state when it grows. */
    private long rulesVersion;

    private volatile RuleView current;

    /** The view as last published, or null while a table is not open: no event may be aggregated then. */
    RuleView current() {
        return current;
    }

    /** The aggregations table's listener. */
    RegistryStore.Listener rules() {
        return new RegistryStore.Listener() {
            @Override
            public void opened(boolean open) {
                synchronized (RuleViews.this) {
                    rulesVersion++;
                    rulesOpen = open;
                    if (!open) {
                        rules.clear();
                    }
                }
            }

            @Override
            public void changed(String key, byte[] value) {
                synchronized (RuleViews.this) {
                    rulesVersion++;
                    put(rules, key, value, b -> Rule.of(RegistryTopics.JSON.readValue(b, Aggregation.class)));
                }
            }

            @Override
            public void publish() {
                RuleViews.this.publish();
            }
        };
    }

    /** The event types table's listener. */
    RegistryStore.Listener eventTypes() {
        return new RegistryStore.Listener() {
            @Override
            public void opened(boolean open) {
                synchronized (RuleViews.this) {
                    typesOpen = open;
                    if (!open) {
                        eventTypes.clear();
                    }
                }
            }

            @Override
            public void changed(String key, byte[] value) {
                synchronized (RuleViews.this) {
                    put(eventTypes, key, value, b -> RegistryTopics.JSON.readValue(b, EventType.class));
                }
            }

            @Override
            public void publish() {
                RuleViews.this.publish();
            }
        };
    }

    private synchronized void publish() {
        if (!rulesOpen || !typesOpen) {
            current = null;
            return;
        }
        current = new RuleView(rulesVersion, values(rules), values(eventTypes));
    }

    private static <T> Map<String, T> values(Map<String, Parsed<T>> parsed) {
        Map<String, T> out = new HashMap<>(parsed.size() * 2);
        parsed.forEach((k, p) -> {
            if (p.value() != null) {
                out.put(k, p.value());
            }
        });
        return out;
    }

    private static <T> void put(Map<String, Parsed<T>> cache, String key, byte[] bytes, Function<byte[], T> parser) {
        if (bytes == null) {
            cache.remove(key);
            return;
        }
        Parsed<T> old = cache.get(key);
        if (old != null && Arrays.equals(old.bytes(), bytes)) {
            return;
        }
        T value;
        try {
            value = parser.apply(bytes);
        } catch (RuntimeException e) {
            // The exception's class only: a rule's validation message is harmless, but a parser's may quote the value.
            log.warn(
                    "registry value for {} cannot be read, ignoring it: {}",
                    key,
                    e.getClass().getName());
            value = null;
        }
        cache.put(key, new Parsed<>(bytes, value));
    }

    private record Parsed<T>(byte[] bytes, T value) {}
}
