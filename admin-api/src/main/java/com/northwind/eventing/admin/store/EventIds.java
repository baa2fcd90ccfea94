package com.northwind.eventing.admin.store;

/** What an event id, transaction id or user id given to a store route may be: short, printable, one line. */
final class EventIds {
    static final int MAX_LENGTH = 256;

    private EventIds() {}

    static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !validSurrogate(id, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** The id, or a 400 naming the parameter when it is none. */
    static String check(String parameter, String id) {
        if (!isValid(id)) {
            throw StoreParameterException.malformed(
                    parameter, "must be 1 to " + MAX_LENGTH + " characters without control characters");
        }
        return id;
    }
}
