package io.qcowscope.app.ui.viewmodel.teach;

import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import java.util.Locale;

/**
 * One thing the Explain panel can explain, named by the path of its teaching text under {@code assets/teaching/} (without
 * {@code .md}): {@code header/cluster_bits}, {@code feature/extended_l2}, {@code role/data}, {@code subcluster/normal},
 * {@code topic/l1-entry}.
 */
public record Concept(String id) {

    public static Concept headerField(String name) {
        return new Concept("header/" + name);
    }

    public static Concept feature(FeatureBit b) {
        return new Concept("feature/" + lower(b));
    }

    public static Concept role(HostClusterRole r) {
        return new Concept("role/" + lower(r));
    }

    public static Concept subcluster(SubclusterType t) {
        return new Concept("subcluster/" + lower(t));
    }

    public static Concept topic(Topic t) {
        return new Concept("topic/" + t.file());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
