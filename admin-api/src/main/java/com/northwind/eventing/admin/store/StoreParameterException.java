package com.northwind.eventing.admin.store;

/**
 * A query parameter of a store route that is wrong: 400 when it cannot be read at all (not a number, not a date, a
 * garbled cursor, an unknown or repeated parameter), 422 when it can be read but breaks a rule (out of range, too
 * many words, a forbidden pointer). The message names the parameter and never repeats a value longer than a few words.
 */
public final class StoreParameterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String parameter;

    private StoreParameterException(int status, String parameter, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    public static StoreParameterException malformed(String parameter, String detail) {
        return new StoreParameterException(400, parameter, parameter + ": " + detail);
    }

    public static StoreParameterException invalid(String parameter, String detail) {
        return new StoreParameterException(422, parameter, parameter + ": " + detail);
    }

    int status() {
        return status;
    }

    String parameter() {
        return parameter;
    }
}
