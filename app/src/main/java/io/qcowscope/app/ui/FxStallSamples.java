package io.qcowscope.app.ui;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FX thread's stacks sampled during one stall, grouped by place: the phase of the FX thread's work (a pulse's CSS,
 * layout or scene sync, an animation, an input event, a runLater task, or the GTK loop, where the thread is idle or
 * waits for the CPU) and the first frame of our code in it (else the top frame). A single sample named only the first
 * 16 ms of a stall of seconds.
 */
final class FxStallSamples {
    private static final int SHOWN = 4;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int total;

    /** Adds one sampled stack (top frame first). */
    void add(StackTraceElement[] stack) {
        counts.merge(place(stack), 1, Integer::sum);
        total++;
    }

    /** The places, most sampled first: {@code 7/9 css: Foo.bar:12; 2/9 gtk loop: ...}. */
    String summary() {
        StringBuilder s = new StringBuilder();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(SHOWN).forEach(e ->
                s.append(s.length() == 0 ? "" : "; ").append(e.getValue()).append('/').append(total).append(' ')
                        .append(e.getKey()));
        if (counts.size() > SHOWN) {
            s.append("; ...");
        }
        return s.toString();
    }

    /**
     * The phase and the frames that name where one stack was: what drove the FX thread's work (the outermost of an
     * animation timer, a scene pulse, an input event, a runLater task), the CSS, layout or scene sync under it, and the
     * outermost and innermost frames of our code (else the top frame).
     */
    static String place(StackTraceElement[] stack) {
        if (stack == null || stack.length == 0) {
            return "?";
        }
        String inner = null;
        String outer = null;
        boolean css = false;
        boolean layout = false;
        boolean sync = false;
        String driver = "other";
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            String m = e.getMethodName();
            if (c.startsWith("io.qcowscope") && !c.contains("$$Lambda")
                    && !c.startsWith(FxStallSamples.class.getPackageName() + ".FxStall")) {
                inner = inner == null ? frame(e) : inner;
                outer = frame(e);
            }
            css |= m.equals("doCSSPass") || m.equals("processCSS") || m.equals("applyCss");
            layout |= m.equals("doLayoutPass") || (m.equals("layout") && c.endsWith("Parent"));
            sync |= m.startsWith("synchronize") || c.contains("ScenePeerPaintListener");
            // further down the stack is further out: the last driver seen is the outermost
            if (c.contains("AbstractPrimaryTimer") || c.contains("AbstractMasterTimer")) {
                driver = "animation";
            } else if (c.endsWith("Scene$ScenePulseListener") && m.equals("pulse")) {
                driver = "pulse";
            } else if (c.contains("GlassViewEventHandler")) {
                driver = "input";
            } else if (m.startsWith("lambda$runLater")) {
                driver = "runLater";
            }
        }
        String top = stack[0].getClassName() + "." + stack[0].getMethodName();
        String phase = top.endsWith("GtkApplication._runLoop") ? "gtk loop"
                : driver + (css ? " css" : layout ? " layout" : sync ? " sync" : "");
        StackTraceElement shown = stack[0];
        if (top.endsWith("Unsafe.park") || top.endsWith("Object.wait")) {
            phase += " (waits on a lock)";
            for (StackTraceElement e : stack) {
                if (!e.getClassName().startsWith("java.") && !e.getClassName().startsWith("jdk.")) {
                    shown = e;
                    break;
                }
            }
        }
        String where = inner == null ? frame(shown) : inner.equals(outer) ? inner : outer + ">" + inner;
        return phase + ": " + where;
    }

    private static String frame(StackTraceElement e) {
        return e.getClassName().replaceAll(".*\\.", "") + "." + e.getMethodName() + ":" + e.getLineNumber();
    }
}
