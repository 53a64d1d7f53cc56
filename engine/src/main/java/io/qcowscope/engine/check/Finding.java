package io.qcowscope.engine.check;

/**
 * One problem found by the check, structured for display and for a repair planner.
 *
 * @param kind        what is wrong; its severity says which counter it added to
 * @param path        the structure path, e.g. {@code L1[3] -> L2@0x50000[17] subcluster 5} or {@code cluster 6}
 * @param byteOffset  file offset of the faulty entry or cluster, or -1
 * @param hostCluster host cluster index concerned (the referenced one), or -1
 * @param expected    the value the rules require (a refcount, a flag as 0/1), or null
 * @param found       the value on disk, or null
 * @param guestOffset first guest byte affected, or -1
 * @param guestLength guest bytes affected, or 0
 * @param message     the line {@code qemu-img check} prints for it (qcowscope's wording for warnings)
 */
public record Finding(
        FindingKind kind,
        String path,
        long byteOffset,
        long hostCluster,
        Long expected,
        Long found,
        long guestOffset,
        long guestLength,
        String message) {

    /**
     * Starts a finding of {@code kind} at structure {@code path} with the line qemu-img prints; what else is known is added
     * by name ({@link Builder#at}, {@link Builder#cluster}, ...), and what is not stays "none" (-1, null, 0).
     */
    public static Builder of(FindingKind kind, String path, String message) {
        return new Builder(kind, path, message);
    }

    /** Names the optional parts of a {@link Finding}. */
    public static final class Builder {
        private final FindingKind kind;
        private final String path;
        private final String message;
        private long byteOffset = -1;
        private long hostCluster = -1;
        private Long expected;
        private Long found;
        private long guestOffset = -1;
        private long guestLength;

        private Builder(FindingKind kind, String path, String message) {
            this.kind = kind;
            this.path = path;
            this.message = message;
        }

        /** The file offset of the faulty entry or cluster. */
        public Builder at(long offset) {
            this.byteOffset = offset;
            return this;
        }

        /** The host cluster concerned (the one referenced). */
        public Builder cluster(long index) {
            this.hostCluster = index;
            return this;
        }

        /** The value the rules require; null for none. */
        public Builder expected(Long value) {
            this.expected = value;
            return this;
        }

        /** The value on disk; null for none. */
        public Builder found(Long value) {
            this.found = value;
            return this;
        }

        /** The guest range affected. */
        public Builder guest(long offset, long length) {
            this.guestOffset = offset;
            this.guestLength = length;
            return this;
        }

        public Finding build() {
            return new Finding(kind, path, byteOffset, hostCluster, expected, found, guestOffset, guestLength, message);
        }
    }

    public Severity severity() {
        return kind.severity();
    }

    public boolean repairable() {
        return kind.repairable();
    }
}
