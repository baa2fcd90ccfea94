package com.northwind.eventing.common.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing wrong with a request, located by a JSON Pointer into the request document.
 *
 * @param pointer JSON Pointer (RFC 6901) to the offending member, {@code ""} for the whole document
 * @param detail what is wrong, in words a user can act on
 */
public record Violation(String pointer, String detail) {
    public Violation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * This violation as an entry of a problem's {@code errors}: {@code pointer}, then {@code detail}, in that order in
     * every answer (intake and admin alike).
     */
    public Map<String, String> asProblemError() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pointer", pointer);
        m.put("detail", detail);
        return m;
    }
}
