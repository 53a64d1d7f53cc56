package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.repair.FixKind;
import java.util.List;

/**
 * A header field that fails validation, read in rescue mode (issue 14): what was found, why it is wrong, the candidate
 * values with their evidence, and the one chosen by default ({@code chosen} is its index, or -1 when the evidence is not
 * conclusive and the user must choose).
 *
 * @param field  the field's name in the spec (spec 1.1), as {@code --choose FIELD=VALUE} takes it
 * @param offset its byte offset in the header
 * @param width  its width in bytes (4 or 8)
 */
public record HeaderDamage(FixKind kind, String field, int offset, int width, long found, String problem,
        List<Candidate> candidates, int chosen) {

    public HeaderDamage {
        candidates = List.copyOf(candidates);
        if (chosen >= candidates.size()) {
            throw new IllegalArgumentException("chosen candidate " + chosen + " of " + candidates.size());
        }
    }

    /** The chosen candidate, or null. */
    public Candidate choice() {
        return chosen < 0 ? null : candidates.get(chosen);
    }
}
