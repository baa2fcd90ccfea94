package com.northwind.eventing.common.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamReadException;

/**
 * A document holds something beyond its {@link JsonLimits}: a parse failure, as a parser's own limits are, that names
 * where (a JSON Pointer into the document) and what, quoting nothing of the document.
 */
public final class JsonLimitException extends StreamReadException {
    private static final long serialVersionUID = 1L;

    private final String pointer;
    private final String problem;

    JsonLimitException(JsonParser p, String pointer, String problem) {
        super(p, problem);
        this.pointer = pointer;
        this.problem = problem;
    }

    /** Where in the document, "" for the document itself. */
    public String pointer() {
        return pointer;
    }

    /** What is wrong there. */
    public String problem() {
        return problem;
    }
}
