package io.qcowscope.app.ui.viewmodel.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.format.HeaderFields;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every concept the views can select (the header fields of a version 2 and a version 3 image with every optional field,
 * every feature bit, host role, subcluster state and topic, enumerated from the code) has a teaching text with a title and
 * the spec section of its rule; and every text file teaches a selectable concept (no orphan, no misspelt name).
 */
class TeachingTextsTest {
    @TempDir
    Path dir;

    @Test
    void everySelectableConceptHasATextAndEveryTextAConcept() throws Exception {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "compression_type=zstd", "v3.qcow2", "1M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2", "1M");
        List<HeaderField> fields = new ArrayList<>();
        for (String name : List.of("v3.qcow2", "v2.qcow2")) {
            try (Qcow2Image img = Qcow2Image.open(dir.resolve(name))) {
                fields.addAll(HeaderFields.of(img.header()));
            }
        }
        assertEquals(19, fields.stream().map(HeaderField::name).distinct().count(), "header fields of v2 and v3+zstd");
        List<Concept> concepts = Concepts.selectable(fields);
        List<String> missing = new ArrayList<>();
        for (Concept c : concepts) {
            String md = TeachingTexts.markdown(c);
            if (md == null) {
                missing.add(c.id());
                continue;
            }
            assertTrue(md.startsWith("# "), c.id() + " starts with its title");
            assertTrue(md.contains("**Rule** (spec "), c.id() + " names the rule with its spec section");
            assertTrue(!TeachingTexts.title(c).equals(c.id()), c.id() + " has a title");
        }
        assertEquals(List.of(), missing, "selectable concepts without a teaching text");

        Path root = Path.of(TeachingTexts.class.getResource(TeachingTexts.ROOT).toURI());
        Set<String> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".md")).map(p -> root.relativize(p).toString()
                    .replace('\\', '/').replaceAll("\\.md$", "")).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> ids = concepts.stream().map(Concept::id).collect(Collectors.toCollection(TreeSet::new));
        files.removeAll(ids);
        assertEquals(Set.of(), files, "teaching texts no view can select");
    }
}
