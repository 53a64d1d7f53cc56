package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.HeaderCodec;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tolerant open of {@code repair} (issue 14): a header that fails validation is read field by field in QEMU's
 * validation order (spec 1.2); each field that fails gets candidates from the evidence in the file, and the chosen one
 * (the default, or the user's) is laid over the file in memory before the next field is looked at. Nothing is written,
 * and nothing else in the engine relaxes: {@code info}, {@code map}, {@code check} keep refusing such images.
 */
public final class RescueOpen {
    /** Rounds of field-by-field mending: more than the header has fields that can fail. */
    private static final int MAX_ROUNDS = 16;

    /**
     * What the tolerant open found.
     *
     * @param damages the damaged fields, in the order they were met
     * @param patches the chosen candidates' bytes, in that order
     * @param pending why the image still does not open (a field with no conclusive candidate, or damage no rescue
     *                mends), or null when it opens with {@code patches}
     */
    public record Result(List<HeaderDamage> damages, List<Patch> patches, String pending) {
        public Result {
            damages = List.copyOf(damages);
            patches = List.copyOf(patches);
        }
    }

    private RescueOpen() {
    }

    /**
     * @param choices values the user chose by field name ({@link HeaderDamage#field()}), overriding the defaults
     * @throws NotQcow2Exception when the file is no damaged qcow2 image
     */
    public static Result read(Storage file, Map<String, Long> choices, ProgressMonitor monitor) throws IOException {
        byte[] head = HeaderEvidence.readHead(file);
        List<HeaderDamage> damages = new ArrayList<>();
        List<Patch> patches = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Qcow2Exception e = problem(file, head, patches);
            if (e == null) {
                return new Result(damages, patches, null);
            }
            HeaderDamage d = damageFor(file, e, head, patches, monitor);
            if (d == null || !seen.add(d.field())) {
                return new Result(damages, patches, "no rescue mends this: " + e.getMessage());
            }
            d = withChoice(d, choices.get(d.field()), new HeaderCandidates(file, new HeaderEvidence(file, head), patches,
                    monitor));
            damages.add(d);
            Candidate c = d.choice();
            if (c == null) {
                return new Result(damages, patches, String.format("no candidate for %s is conclusive (%s); choose one "
                        + "with --choose %s=VALUE", d.field(), d.problem(), d.field()));
            }
            for (Patch p : c.patches()) {
                System.arraycopy(p.after(), 0, head, (int) p.offset(), p.length());
                patches.add(p);
            }
        }
        return new Result(damages, patches, "the header has more damage than a rescue mends");
    }

    /** The first reason the file does not open as {@code patches} leave it, or null. */
    private static Qcow2Exception problem(Storage file, byte[] head, List<Patch> patches) throws IOException {
        try {
            HeaderCodec.decode(head, true);
        } catch (Qcow2Exception e) {
            return e;
        }
        return TrialCheck.openError(file, patches);
    }

    private static HeaderDamage damageFor(Storage file, Qcow2Exception e, byte[] head, List<Patch> patches,
            ProgressMonitor monitor) throws IOException {
        HeaderEvidence ev = new HeaderEvidence(file, head);
        HeaderCandidates hc = new HeaderCandidates(file, ev, patches, monitor);
        Structure s = e.structure();
        if (s == Structure.HEADER_EXTENSION || s == Structure.BACKING_FORMAT_EXTENSION
                || s == Structure.BITMAPS_EXTENSION) {
            Qcow2Header h = HeaderCodec.decode(head, true);
            return ExtensionArea.trim(head, h);
        }
        if (s != Structure.HEADER) {
            return null;
        }
        String msg = e.getMessage();
        int bits = (int) Math.min(31, ev.u32(20));
        return switch ((int) e.offset()) {
            case 0 -> {
                String not = ev.notQcow2();
                if (not != null) {
                    throw new NotQcow2Exception(not);
                }
                yield msg.contains("not in qcow2 format") ? hc.magic() : null;
            }
            case 4 -> hc.version();
            case 20 -> hc.clusterBits();
            case 24 -> hc.virtualSize(bits);
            case 36 -> hc.l1Size(bits);
            case 96 -> hc.refcountOrder();
            case 72 -> msg.contains("Unknown incompatible feature") || msg.contains("Unsupported qcow2 feature")
                    ? hc.unknownIncompatible() : null;
            default -> null;
        };
    }

    /** The damage with the user's value chosen (an offered candidate, or a new one for a plain numeric field). */
    private static HeaderDamage withChoice(HeaderDamage d, Long value, HeaderCandidates hc) {
        if (value == null) {
            return d;
        }
        List<Candidate> c = new ArrayList<>(d.candidates());
        int at = -1;
        for (int i = 0; i < c.size(); i++) {
            if (c.get(i).value() == value) {
                at = i;
            }
        }
        if (at < 0) {
            if (d.width() != 4 && d.width() != 8) {
                return d;
            }
            c.add(new Candidate(value, "chosen by the user", 0, List.of(hc.field(d.offset(), d.width(), value))));
            at = c.size() - 1;
        }
        return new HeaderDamage(d.kind(), d.field(), d.offset(), d.width(), d.found(), d.problem(), c, at);
    }
}
