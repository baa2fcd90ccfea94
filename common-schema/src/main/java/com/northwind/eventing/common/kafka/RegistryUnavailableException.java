package com.northwind.eventing.common.kafka;

/** Kafka could not take or show a registry write in time: the caller may retry; nothing half-done is visible. */
public class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message) {
        super(message);
    }
}
