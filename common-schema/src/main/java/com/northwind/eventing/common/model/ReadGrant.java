package com.northwind.eventing.common.model;

/**
 * What an app may read unredacted: a classification ({@code PHI}) clears every field of that classification; a
 * JSON Pointer ({@code /member/ssn}) clears exactly the sensitive field declared with that path.
 */
public record ReadGrant(String classification, String path) {
    public static ReadGrant parse(String grant) {
        if (grant != null && grant.startsWith("/")) {
            try {
                JsonPointers.parse(grant);
            } catch (ValidationException e) {
                throw new ValidationException(
                        "", "read grant " + e.violations().get(0).detail());
            }
            return new ReadGrant(null, grant);
        }
        try {
            return new ReadGrant(Classification.check(grant), null);
        } catch (ValidationException e) {
            throw new ValidationException(
                    "",
                    "read grant '" + grant
                            + "' must be a classification (PHI) or a JSON Pointer to a field (/member/ssn)");
        }
    }

    /** Whether this grant clears the given sensitive field. */
    public boolean clears(SensitiveField field) {
        return classification != null ? classification.equals(field.classification()) : path.equals(field.path());
    }

    @Override
    public String toString() {
        return classification != null ? classification : path;
    }
}
