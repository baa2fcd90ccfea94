package com.northwind.eventing.admin.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Pointer (RFC 6901) into the stored body, as MongoDB's dotted path {@code body.a.b}. A segment MongoDB would
 * read as something else is refused rather than escaped: one starting with {@code $} (an operator), one holding a
 * {@code .} (a deeper path), an empty one, or one with a NUL. So a pointer can only ever name a field of the body.
 */
final class BodyPointer {
    static final int MAX_LENGTH = 256;
    static final int MAX_SEGMENTS = 16;

    private BodyPointer() {}

    /** The dotted path of {@code pointer} under {@code body}, or a 400/422 naming {@code parameter}. */
    static String path(String parameter, String pointer) {
        if (!pointer.startsWith("/")) {
            throw StoreParameterException.malformed(parameter, "a JSON Pointer into the body starts with /");
        }
        if (pointer.length() > MAX_LENGTH) {
            throw StoreParameterException.invalid(
                    parameter, "the pointer is longer than " + MAX_LENGTH + " characters");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            segments.add(unescape(parameter, raw));
        }
        if (segments.size() > MAX_SEGMENTS) {
            throw StoreParameterException.invalid(parameter, "the pointer has more than " + MAX_SEGMENTS + " segments");
        }
        StringBuilder path = new StringBuilder("body");
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw StoreParameterException.invalid(parameter, "the pointer has an empty segment");
            }
            if (segment.startsWith("$")) {
                throw StoreParameterException.invalid(
                        parameter, "a pointer segment may not start with $ (the store cannot search such a field)");
            }
            if (segment.indexOf('.') >= 0) {
                throw StoreParameterException.invalid(
                        parameter, "a pointer segment may not hold a . (the store cannot search such a field)");
            }
            if (segment.indexOf('\0') >= 0) {
                throw StoreParameterException.invalid(parameter, "a pointer segment may not hold a NUL character");
            }
            path.append('.').append(segment);
        }
        return path.toString();
    }

    private static String unescape(String parameter, String raw) {
        StringBuilder s = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '~') {
                s.append(c);
            } else if (i + 1 < raw.length() && (raw.charAt(i + 1) == '0' || raw.charAt(i + 1) == '1')) {
                s.append(raw.charAt(++i) == '0' ? '~' : '/');
            } else {
                throw StoreParameterException.malformed(
                        parameter,
                        "in a JSON Pointer ~ is written ~0 and / is written ~1; ~ followed by anything else"
                                + " is not a pointer");
            }
        }
        return s.toString();
    }
}
