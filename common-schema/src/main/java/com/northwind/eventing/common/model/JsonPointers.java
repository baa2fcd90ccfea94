package com.northwind.eventing.common.model;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON Pointers (RFC 6901) as the registry uses them: sensitive field paths, read grants, filter fields and
 * projections. A {@code *} token stands for every element of an array.
 */
public final class JsonPointers {
    /** The token that stands for every element of an array. */
    public static final String ANY_ELEMENT = "*";

    private JsonPointers() {}

    /**
     * Splits a pointer into its unescaped reference tokens.
     *
     * @throws ValidationException when the pointer is empty, does not start with {@code /}, or has a bad escape
     */
    public static List<String> parse(String pointer) {
        if (pointer == null || pointer.isEmpty()) {
            throw new ValidationException("", "a JSON Pointer is required, such as /member/ssn");
        }
        if (pointer.charAt(0) != '/') {
            throw new ValidationException("", "'" + pointer + "' is not a JSON Pointer: it must start with /");
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i < pointer.length(); i++) {
            char c = pointer.charAt(i);
            if (c == '/') {
                tokens.add(token.toString());
                token.setLength(0);
            } else if (c == '~') {
                char next = i + 1 < pointer.length() ? pointer.charAt(i + 1) : 0;
                if (next == '0') {
                    token.append('~');
                } else if (next == '1') {
                    token.append('/');
                } else {
                    throw new ValidationException(
                            "", "'" + pointer + "' is not a JSON Pointer: ~ must be followed by 0 or 1");
                }
                i++;
            } else {
                token.append(c);
            }
        }
        tokens.add(token.toString());
        for (String t : tokens) {
            if (t.isEmpty()) {
                throw new ValidationException("", "'" + pointer + "' has an empty segment");
            }
        }
        return List.copyOf(tokens);
    }

    /** Escapes one reference token: {@code ~} becomes {@code ~0} and {@code /} becomes {@code ~1}. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** Joins tokens back into a pointer. */
    public static String join(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            sb.append('/').append(escape(t));
        }
        return sb.toString();
    }
}
