package io.qcowscope.engine.repair.rescue;


import io.qcowscope.engine.repair.Patch;
import java.util.List;

/**
 * One value a damaged header field could take (issue 14), with the evidence for it in words, a score (the higher, the
 * more of the file agrees with it) and the header bytes that choosing it writes.
 */
public record Candidate(long value, String evidence, int score, List<Patch> patches) {

    public Candidate {
        patches = List.copyOf(patches);
    }
}
