package com.northwind.eventing.admin.replay;

/** A member of a replay request that cannot be read as what it must be (a 400 naming it by its JSON Pointer). */
final class MalformedMemberException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pointer;

    MalformedMemberException(String pointer, String detail) {
        super(pointer + ": " + detail, null, false, false);
        this.pointer = pointer;
    }

    String pointer() {
        return pointer;
    }
}
