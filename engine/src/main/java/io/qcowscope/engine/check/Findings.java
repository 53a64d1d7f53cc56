package io.qcowscope.engine.check;

import java.util.ArrayList;
import java.util.List;

/** The counters and findings of one check run, in the order qemu-img prints them. Keeps at most a bounded number. */
final class Findings {
    long corruptions;
    long leaks;
    long checkErrors;
    long dropped;
    private final List<Finding> kept = new ArrayList<>();
    private final int cap;

    Findings(int cap) {
        this.cap = cap;
    }

    void add(Finding f) {
        tally(f.severity());
        keep(f);
    }

    /**
     * False once the cap is reached: a finding added from now on is only counted. A caller with many findings (a wrong
     * refcount width in a rescue trial gives one per cluster) then {@link #count}s them without building their text.
     */
    boolean keepsMore() {
        return kept.size() < cap;
    }

    /** Findings that can still be kept before the cap. */
    int room() {
        return cap - kept.size();
    }

    /** A finding of {@code kind} counted as {@link #add} counts one past the cap, without the finding itself. */
    void count(FindingKind kind) {
        tally(kind.severity());
        dropped++;
    }

    private void tally(Severity s) {
        switch (s) {
            case CORRUPTION -> corruptions++;
            case LEAK -> leaks++;
            case CHECK_ERROR -> checkErrors++;
            default -> {
            }
        }
    }

    private void keep(Finding f) {
        if (kept.size() < cap) {
            kept.add(f);
        } else {
            dropped++;
        }
    }

    void add(Finding.Builder f) {
        add(f.build());
    }

    /** Appends {@code later} (QEMU prints OFLAG_COPIED lines after the refcount comparison). */
    void addAll(Findings later) {
        later.kept.forEach(this::keep);
        dropped += later.dropped;
        corruptions += later.corruptions;
        leaks += later.leaks;
        checkErrors += later.checkErrors;
    }

    List<Finding> list() {
        return kept;
    }
}
