package com.northwind.eventing.common.model;

/**
 * What the event store keeps of an event, set with each version of its type. An event is stored under the policy of
 * the latest version of its type, with the sensitive fields of its own version and every later one.
 */
public enum StorePolicy {
    /** Every sensitive field replaced by the mask, as in a copy for an app cleared for nothing: the default. */
    REDACT,
    /** Every sensitive field dropped from the body. */
    REMOVE,
    /** The body as sent, sensitive fields included. */
    KEEP,
    /** Nothing: no store record is written for the event. */
    NONE;

    /** The policy of a version that names none: registry records written before policies existed read as this. */
    public static final StorePolicy DEFAULT = REDACT;
}
