package com.northwind.eventing.common.model;

/**
 * A body field that carries sensitive data.
 *
 * @param path JSON Pointer into the body; {@code *} stands for every element of an array ({@code /claimLines/*{@literal /}ssn})
 * @param classification the kind of data, such as PHI, PII or PCI; read grants name it to see the field
 */
public record SensitiveField(String path, String classification) {
    public SensitiveField {
        Violations v = new Violations();
        v.check("/path", () -> JsonPointers.parse(path));
        v.check("/classification", () -> Classification.check(classification));
        v.throwIfAny();
    }
}
