package io.qcowscope.engine.repair;

import java.util.List;

/**
 * One step of a repair plan: what it changes, why, which guest range it concerns and how risky it is.
 *
 * @param id           position in the plan, for selection
 * @param path         the structure path, e.g. {@code L1[0] -> L2@0x40000[3]}
 * @param byteOffset   where in the file it acts, or -1
 * @param patches      the bytes it overwrites (old and new); empty for a fix that writes a new structure
 * @param newStructure what new structure it writes (a rebuilt refcount structure, a snapshot table), or null
 * @param why          the finding it answers, in words
 * @param guestOffset  first guest byte that reads differently afterwards or that the damage concerns, or -1
 * @param alternativeTo id of the fix this one excludes (two ways to mend the same damage), or -1
 * @param selected     applied unless the caller deselects it
 */
public record Fix(
        int id,
        FixKind kind,
        String path,
        long byteOffset,
        List<Patch> patches,
        String newStructure,
        String why,
        long guestOffset,
        long guestLength,
        int alternativeTo,
        boolean selected) {

    public Fix {
        patches = List.copyOf(patches);
    }

    public RiskLevel risk() {
        return kind.risk();
    }

    public Fix withSelected(boolean s) {
        return new Fix(id, kind, path, byteOffset, patches, newStructure, why, guestOffset, guestLength, alternativeTo,
                s);
    }
}
