package com.northwind.eventing.intake.publish;

/** What a producer gets once Kafka holds its event: where it is. */
public record Receipt(String eventId, String eventType, int partition, long offset) {}
