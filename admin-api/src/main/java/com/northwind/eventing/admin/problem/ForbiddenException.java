package com.northwind.eventing.admin.problem;

/**
 * The caller is known but may not do this; the message names what was refused and to whom ("app claims-portal may
 * only create subscriptions for itself").
 */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
