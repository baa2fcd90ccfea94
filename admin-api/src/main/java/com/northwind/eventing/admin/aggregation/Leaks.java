package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.Violations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rule that keeps an aggregation from laundering sensitive data: every sensitive field an output copies from an
 * input must be declared sensitive, with the same classification, by the output type at the place the output holds
 * it. Otherwise the router would deliver the copy unredacted to apps that are not cleared for it.
 *
 * <p>An input's sensitive fields are those of any of its versions (as the router redacts an older event of a field a
 * later version no longer lists); the output's are those of its latest version, the one its events are written as. A
 * declared path covers the paths at and under it, {@code *} in it standing for any member or element.
 */
final class Leaks {
    private Leaks() {}

    /**
     * Adds a violation at each read, kept field or key that copies a sensitive field the output type does not declare.
     */
    static void check(Violations v, String outputName, EventType output, List<RuleRead> reads, List<EventType> inputs) {
        List<SensitiveField> declared = output.latest().sensitiveFields();
        for (int r = 0; r < reads.size(); r++) {
            RuleRead read = reads.get(r);
            EventType input = inputs.get(r);
            List<SensitiveField> sensitive = everySensitiveField(input);
            if (read.copiedTo() != null) {
                if (read.fields().isEmpty()) {
                    for (SensitiveField s : sensitive) {
                        requireDeclared(v, read.at(), read, s, JsonPointers.parse(s.path()), outputName, declared);
                    }
                } else {
                    for (int f = 0; f < read.fields().size(); f++) {
                        List<String> field = JsonPointers.parse(read.fields().get(f));
                        for (SensitiveField s : sensitive) {
                            List<String> copied = copiedPart(field, JsonPointers.parse(s.path()));
                            if (copied != null) {
                                requireDeclared(v, read.fieldPointer(f), read, s, copied, outputName, declared);
                            }
                        }
                    }
                }
            }
            if (read.keyInOutput() && read.keyIsBodyPointer()) {
                List<String> key = JsonPointers.parse(read.key());
                Set<String> required = new LinkedHashSet<>();
                for (SensitiveField s : sensitive) {
                    List<String> path = JsonPointers.parse(s.path());
                    if (path.size() <= key.size() && reaches(path, key) && required.add(s.classification())) {
                        if (!covered(declared, JsonPointers.parse(RuleRead.OUTPUT_KEY), s.classification())) {
                            v.add(
                                    read.keyPointer(),
                                    "key " + read.key() + " reads " + s.path() + ", a " + s.classification()
                                            + " field of event type " + read.eventType() + "; output type "
                                            + outputName + " must declare " + RuleRead.OUTPUT_KEY + " as "
                                            + s.classification());
                        }
                    }
                }
            }
        }
    }

    private static void requireDeclared(
            Violations v,
            String pointer,
            RuleRead read,
            SensitiveField s,
            List<String> copied,
            String outputName,
            List<SensitiveField> declared) {
        List<String> mapped = new ArrayList<>(JsonPointers.parse(read.copiedTo()));
        mapped.addAll(copied);
        if (!covered(declared, mapped, s.classification())) {
            v.add(
                    pointer,
                    "copies " + s.path() + ", a " + s.classification() + " field of event type " + read.eventType()
                            + "; output type " + outputName + " must declare " + JsonPointers.join(mapped)
                            + " (or a path above it) as " + s.classification());
        }
    }

    /**
     * What of a sensitive path a kept field copies, as a path in the input's body: the sensitive path narrowed to the
     * field when it lies at or under it, the field itself when the field lies under the sensitive path; null when they
     * do not meet.
     */
    static List<String> copiedPart(List<String> field, List<String> sensitive) {
        if (!reaches(sensitive, field)) {
            return null;
        }
        List<String> copied = new ArrayList<>(field);
        if (sensitive.size() > field.size()) {
            copied.addAll(sensitive.subList(field.size(), sensitive.size()));
        }
        return copied;
    }

    /** Whether the paths agree as far as both go, a {@code *} of {@code pattern} standing for any token. */
    private static boolean reaches(List<String> pattern, List<String> path) {
        int n = Math.min(pattern.size(), path.size());
        for (int k = 0; k < n; k++) {
            if (!JsonPointers.ANY_ELEMENT.equals(pattern.get(k))
                    && !pattern.get(k).equals(path.get(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a declared field of the classification covers the path: it is the path or above it, its {@code *}
     * standing for any token, while a {@code *} of the path (every element) is covered only by a {@code *}.
     */
    static boolean covered(List<SensitiveField> declared, List<String> path, String classification) {
        for (SensitiveField d : declared) {
            List<String> tokens = JsonPointers.parse(d.path());
            if (d.classification().equals(classification) && tokens.size() <= path.size() && reaches(tokens, path)) {
                return true;
            }
        }
        return false;
    }

    private static List<SensitiveField> everySensitiveField(EventType type) {
        Set<SensitiveField> fields = new LinkedHashSet<>();
        for (EventTypeVersion version : type.versions()) {
            fields.addAll(version.sensitiveFields());
        }
        return List.copyOf(fields);
    }
}
