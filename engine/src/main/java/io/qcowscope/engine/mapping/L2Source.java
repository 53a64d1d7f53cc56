package io.qcowscope.engine.mapping;

import java.io.IOException;

/**
 * Where the resolver gets an image's active L1 table and its L2 tables: the read cache of an open image, or the write-back
 * cache of a writable one (which sees tables not yet flushed).
 */
public interface L2Source {
    /** Entries in the active L1 table. */
    int l1Size();

    /** Active L1 entry {@code index}; 0 past the end of the table. */
    long l1Entry(long index);

    /** Host offset of the active L1 table (for error messages). */
    long l1Offset();

    /** The L2 table at host offset {@code offset} (already checked to be cluster aligned and non-zero). */
    L2Table l2Table(long offset) throws IOException;
}
