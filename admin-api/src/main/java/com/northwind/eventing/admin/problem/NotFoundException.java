package com.northwind.eventing.admin.problem;

/** The named thing does not exist; the message names it ("event type Claim.Submitted.Foo is not registered"). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
