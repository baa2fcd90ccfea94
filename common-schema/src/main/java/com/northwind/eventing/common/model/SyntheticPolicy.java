package com.northwind.eventing.common.model;

/** Which events a subscription gets by their {@code synthetic} flag. */
public enum SyntheticPolicy {
    /** Real events only: the default, so no consumer sees test data it did not ask for. */
    EXCLUDE,
    /** Real and synthetic events. */
    INCLUDE,
    /** Synthetic events only: for a consumer's test environment. */
    ONLY;

    public boolean admits(boolean synthetic) {
        return switch (this) {
            case EXCLUDE -> !synthetic;
            case INCLUDE -> true;
            case ONLY -> synthetic;
        };
    }
}
