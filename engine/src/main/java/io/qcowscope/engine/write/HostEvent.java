package io.qcowscope.engine.write;

/**
 * One call the writer made on the image file, in order: a write (with the structure it lands in), a truncate, a hole
 * punched, or a flush (fdatasync). {@code phase} counts the flushes before it (spec B.3 orders metadata by them).
 */
public record HostEvent(Kind kind, Role role, long position, long length, int phase) {

    public enum Kind { WRITE, TRUNCATE, PUNCH, FLUSH }

    /** The structure a write lands in, judged by the image's metadata after the write. */
    public enum Role {
        HEADER("header"), L1_TABLE("L1 table"), L2_TABLE("L2 table"), REFCOUNT_TABLE("refcount table"),
        REFCOUNT_BLOCK("refcount block"), GUEST_DATA("guest data"), NONE("-");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public boolean metadata() {
            return this != GUEST_DATA && this != NONE;
        }
    }
}
