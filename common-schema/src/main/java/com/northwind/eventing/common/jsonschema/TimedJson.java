package com.northwind.eventing.common.jsonschema;

/**
 * The org.json containers the validator walks, asking the {@link Deadline} as it goes. Every loop of the validator
 * over a document's members and elements reads them with {@code get}, its pairwise comparison for
 * {@code uniqueItems} (quadratic in the array's length) included, so asking there bounds them all.
 *
 * <p>Only a container with more than {@link #SMALL} members asks on every read: the work between two reads of a small
 * one is small, and an event's usual objects and arrays are, so they never read the clock.
 *
 * <p>They keep org.json's simple names: everit names the value's class in its type violations ("expected type:
 * String, found: JSONArray").
 */
final class TimedJson {
    static final int SMALL = 32;

    private TimedJson() {}

    static final class JSONObject extends org.json.JSONObject {
        private final Deadline deadline;

        JSONObject(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public Object get(String key) {
            if (length() > SMALL) {
                deadline.check();
            }
            return super.get(key);
        }
    }

    static final class JSONArray extends org.json.JSONArray {
        private final Deadline deadline;

        JSONArray(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public Object get(int index) {
            if (length() > SMALL) {
                deadline.check();
            }
            return super.get(index);
        }
    }
}
