package io.qcowscope.engine.repair;

/** How far a fix reaches (issue 5): what a user risks by applying it. */
public enum RiskLevel {
    /** Guest content cannot change: freeing a leak, fixing a COPIED bit, clearing a header bit. */
    SAFE("safe"),
    /** Metadata is rewritten but every guest byte reads as before: a refcount rebuild, a new snapshot table. */
    REWRITES_METADATA("rewrites-metadata"),
    /** Some guest range reads differently afterwards. */
    CHANGES_GUEST_DATA("changes-guest-data");

    private final String label;

    RiskLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
