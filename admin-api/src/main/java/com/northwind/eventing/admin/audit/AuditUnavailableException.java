package com.northwind.eventing.admin.audit;

/**
 * The audit entry of a change could not be written: the caller must not be told the change succeeded. The message
 * names the change (action, resource, id) and never a value of it.
 */
public final class AuditUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AuditUnavailableException(String message) {
        super(message, null, false, false);
    }
}
