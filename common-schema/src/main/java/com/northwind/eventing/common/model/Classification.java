package com.northwind.eventing.common.model;

import java.util.regex.Pattern;

/** Data classifications such as PHI, PII and PCI: upper-case words, digits and underscores. */
public final class Classification {
    public static final Pattern PATTERN = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private Classification() {}

    public static String check(String classification) {
        if (classification == null || classification.isEmpty()) {
            throw new ValidationException("", "a classification is required, such as PHI, PII or PCI");
        }
        if (!PATTERN.matcher(classification).matches()) {
            throw new ValidationException(
                    "",
                    "classification '" + classification
                            + "' must be upper-case letters, digits and underscores, starting with a letter (PHI, PII, PCI)");
        }
        return classification;
    }
}
