package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import java.util.ArrayList;
import java.util.List;

/** The fixes of a rescue plan as they are added, numbered in order (ids are positions, as in the repair plan). */
final class FixList {
    private final List<Fix> fixes = new ArrayList<>();

    int add(FixKind kind, String path, long at, List<Patch> patches, String structure, String why, long guest,
            long length, int alternativeTo, boolean selected) {
        int id = fixes.size();
        fixes.add(new Fix(id, kind, path, at, patches, structure, why, guest, length, alternativeTo, selected));
        return id;
    }

    /** Appends another plan's fixes, renumbered after these (their alternatives follow). */
    void addAll(List<Fix> more) {
        int base = fixes.size();
        for (Fix f : more) {
            fixes.add(new Fix(base + f.id(), f.kind(), f.path(), f.byteOffset(), f.patches(), f.newStructure(), f.why(),
                    f.guestOffset(), f.guestLength(), f.alternativeTo() < 0 ? -1 : base + f.alternativeTo(),
                    f.selected()));
        }
    }

    List<Fix> fixes() {
        return List.copyOf(fixes);
    }

    /** The patches of the selected fixes so far, in order. */
    List<Patch> selectedPatches() {
        return fixes.stream().filter(Fix::selected).flatMap(f -> f.patches().stream()).toList();
    }
}
