package com.northwind.eventing.common.registry;

/**
 * A refusal or failure of the schema registry, with Confluent's error code ({@code 40401} subject not found,
 * {@code 40403} schema not found, {@code 42201} invalid schema, {@code 409} incompatible, ...).
 */
public class SchemaRegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message + " (status " + status + ", error code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.errorCode = -1;
    }

    /** The HTTP status, or -1 when the registry could not be reached. */
    public int status() {
        return status;
    }

    /** Confluent's error code, or -1 when the registry could not be reached. */
    public int errorCode() {
        return errorCode;
    }
}
