package com.northwind.eventing.common.model;

import java.time.Instant;

/**
 * An app's bearer token as the registry keeps it: never the token itself, only its SHA-256.
 *
 * @param id a short public id, to name the token when revoking it
 * @param sha256 lower-case hex SHA-256 of the token's UTF-8 bytes
 */
public record AppToken(String id, String sha256, Instant createdAt) {}
