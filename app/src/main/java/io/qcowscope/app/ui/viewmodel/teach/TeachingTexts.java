package io.qcowscope.app.ui.viewmodel.teach;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The teaching texts: {@code assets/teaching/<concept>.md}, packaged as resources of the app under
 * {@code io/qcowscope/assets/teaching/}. Small files, read once each.
 */
public final class TeachingTexts {
    static final String ROOT = "/io/qcowscope/assets/teaching/";
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private TeachingTexts() {
    }

    /** The Markdown of {@code c}, or null when it has no text. */
    public static String markdown(Concept c) {
        String cached = CACHE.get(c.id());
        if (cached != null) {
            return cached;
        }
        try (InputStream in = TeachingTexts.class.getResourceAsStream(ROOT + c.id() + ".md")) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            CACHE.put(c.id(), text);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the teaching text " + c.id(), e);
        }
    }

    /** The text's first heading, or the concept id when it has none. */
    public static String title(Concept c) {
        String md = markdown(c);
        if (md != null) {
            for (String line : md.split("\n")) {
                if (line.startsWith("# ")) {
                    return line.substring(2).trim();
                }
            }
        }
        return c.id();
    }
}
