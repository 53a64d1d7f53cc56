package io.qcowscope.engine.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Engine package arrows point one way: the import graph of {@code engine/src/main} has no cycle. Parses the sources'
 * import lines and fully qualified references (no bytecode tool needed).
 */
class PackageCycleTest {
    private static final String ROOT = "io.qcowscope.engine.";
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.qcowscope\\.engine\\.([a-z][a-z0-9]*)\\.[A-Z]");

    @Test
    void enginePackagesHaveNoCycle() throws IOException {
        Map<String, Set<String>> graph = importGraph(Path.of("src/main/java/io/qcowscope/engine"));
        assertTrue(graph.size() > 10, "the engine's packages were found: " + graph.keySet());
        List<String> cycle = findCycle(graph);
        assertEquals(List.of(), cycle, "package cycle in the engine: " + String.join(" -> ", cycle));
    }

    @Test
    void mappingLayerDependsOnlyOnLowerPackages() throws IOException {
        Map<String, Set<String>> graph = importGraph(Path.of("src/main/java/io/qcowscope/engine"));
        assertTrue(Set.of("format", "compress", "storage", "io").containsAll(graph.get("mapping")),
                "mapping imports " + graph.get("mapping"));
        assertEquals(Set.of(), graph.get("format"), "format is the bottom of the engine");
    }

    @Test
    void cycleFinderFindsACycle() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of("a"));
        assertEquals(List.of("a", "b", "c", "a"), findCycle(g));
        g.put("c", Set.of());
        assertEquals(List.of(), findCycle(g));
    }

    static Map<String, Set<String>> importGraph(Path engineSources) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(engineSources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = engineSources.relativize(f.getParent()).toString().replace('/', '.');
                if (pkg.isEmpty() || pkg.contains(".")) {
                    continue;
                }
                Set<String> deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        deps.add(m.group(1));
                    }
                }
            }
        }
        return graph;
    }

    /** A cycle as a path that ends where it starts, or an empty list. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // 1 on the stack, 2 done
        for (String start : graph.keySet()) {
            Deque<String> stack = new ArrayDeque<>();
            List<String> c = visit(start, graph, state, stack);
            if (!c.isEmpty()) {
                return c;
            }
        }
        return List.of();
    }

    private static List<String> visit(String n, Map<String, Set<String>> graph, Map<String, Integer> state,
            Deque<String> stack) {
        Integer s = state.get(n);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> path = new ArrayList<>(stack);
            java.util.Collections.reverse(path);
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
            cycle.add(n);
            return cycle;
        }
        state.put(n, 1);
        stack.push(n);
        for (String d : graph.getOrDefault(n, Set.of())) {
            List<String> c = visit(d, graph, state, stack);
            if (!c.isEmpty()) {
                return c;
            }
        }
        stack.pop();
        state.put(n, 2);
        return List.of();
    }
}
