package com.northwind.eventing.admin.store;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * A stored document as the API answers it: the envelope's names as stored, dates as ISO-8601 strings. {@code _id}
 * (the eventId again) and {@code searchTerms} (derived, and bulky) are left out; {@code storePolicy} and
 * {@code firehose} (where to replay the exact event from) stay.
 */
final class Documents {
    private static final Set<String> LEFT_OUT = Set.of("_id", "searchTerms");

    private Documents() {}

    static Map<String, Object> view(Document stored) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : stored.entrySet()) {
            if (!LEFT_OUT.contains(e.getKey())) {
                out.put(e.getKey(), value(e.getValue()));
            }
        }
        return out;
    }

    static Object value(Object v) {
        if (v instanceof Document d) {
            Map<String, Object> m = new LinkedHashMap<>();
            d.forEach((k, x) -> m.put(k, value(x)));
            return m;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(x -> out.add(value(x)));
            return out;
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        if (v instanceof Double d && !Double.isFinite(d)) {
            return d.toString();
        }
        if (v instanceof Decimal128 d) {
            try {
                return d.bigDecimalValue();
            } catch (ArithmeticException e) {
                return d.toString(); // NaN, infinities and -0, which a BigDecimal cannot hold
            }
        }
        if (v instanceof ObjectId id) {
            return id.toHexString();
        }
        if (v instanceof Binary b) {
            return Base64.getEncoder().encodeToString(b.getData());
        }
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        return v.toString();
    }
}
