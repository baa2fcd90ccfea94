package com.northwind.eventing.admin.problem;

/** The request clashes with what exists, such as creating something that is already there. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
