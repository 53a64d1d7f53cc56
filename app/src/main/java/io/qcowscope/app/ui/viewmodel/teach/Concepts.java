package io.qcowscope.app.ui.viewmodel.teach;

import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every concept the views can select, enumerated from the engine's own lists (not a hand-kept list). */
public final class Concepts {
    private Concepts() {
    }

    /** The concepts of an image with these header fields, and every feature bit, host role, subcluster state and topic. */
    public static List<Concept> selectable(List<HeaderField> headerFields) {
        Set<Concept> out = new LinkedHashSet<>();
        for (HeaderField f : headerFields) {
            out.add(Concept.headerField(f.name()));
        }
        for (FeatureBit b : FeatureBit.values()) {
            out.add(Concept.feature(b));
        }
        for (HostClusterRole r : HostClusterRole.values()) {
            out.add(Concept.role(r));
        }
        for (SubclusterType t : SubclusterType.values()) {
            out.add(Concept.subcluster(t));
        }
        for (Topic t : Topic.values()) {
            out.add(Concept.topic(t));
        }
        return new ArrayList<>(out);
    }
}
