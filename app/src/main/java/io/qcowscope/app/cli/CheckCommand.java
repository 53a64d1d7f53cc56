package io.qcowscope.app.cli;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.check.ImageChecker;
import io.qcowscope.engine.check.Severity;
import io.qcowscope.engine.image.ChainProblem;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code qcowscope check}: qemu-img check's verdict (spec 5.7): its counters, JSON keys and omission rules, summary text and
 * exit codes (0 clean, 1 check failed, 2 corruptions, 3 only leaks). Problem lines go to stderr, as qemu-img prints them;
 * qcowscope's structured findings are under the JSON key "qcowscope".
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check an image's consistency like qemu-img check; -r repairs in place as qemu-img check -r does.",
            "Differences on purpose: the check reads only the image file (a missing backing file or a backing loop is a "
                    + "warning, not exit 1). With -r all, an unaligned refcount table entry is rebuilt where qemu-img "
                    + "marks the image corrupt and fails (exit 1). A rebuilt refcount structure goes where qemu-img "
                    + "puts it (the first free clusters), so the repaired file is qemu-img's byte for byte."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--output", defaultValue = "human", description = "human or json")
    OutputFormat output;

    @Option(names = "-r", paramLabel = "leaks|all",
            description = "Repair in place like qemu-img check -r: leaks, or all that qemu-img repairs.")
    String repair;

    @Mixin
    ImagePool pool;

    Path image;

    /** One image's check and, when it names a backing or data file that cannot be used, why. */
    record Checked(CheckResult result, ChainProblem chain) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!pool.single()) {
            if (repair != null) {
                throw new IllegalArgumentException("-r repairs one image at a time");
            }
            return checkPool(out, err);
        }
        image = pool.only();
        if (repair != null) {
            return repairInPlace(out, err);
        }
        Checked checked = checkOne(image);
        CheckResult r = checked.result();
        ChainProblem chain = checked.chain();
        for (Finding f : r.findings()) {
            err.println(f.message());
        }
        if (chain != null) {
            err.println(chain.warning());
        }
        if (r.findingsDropped() > 0) {
            err.println("(" + r.findingsDropped() + " more findings not listed)");
        }
        if (!r.completed()) {
            err.println("qcowscope: Check failed: " + r.failure());
            err.flush();
            return 1;
        }
        err.flush();
        if (output == OutputFormat.json) {
            JsonObject o = json(r, image.toString());
            if (chain != null) {
                JsonObject c = ((JsonObject) o.get("qcowscope")).putObject("backing-chain");
                c.put("usable", false);
                c.put("role", chain.role());
                c.put("file", chain.file());
                c.put("named-by", chain.image());
                c.put("cause", chain.cause());
                c.put("message", chain.warning());
            }
            out.println(Json.qemu(o));
        } else {
            printHuman(out, r, chain == null ? 0 : 1);
        }
        out.flush();
        if (r.checkErrors() > 0) {
            err.println("qcowscope: Check failed");
            err.flush();
        }
        return r.exitCode();
    }

    static Checked checkOne(Path image) throws java.io.IOException {
        CheckResult r;
        boolean namesFiles;
        // The check reads only this file; backing and data files are not needed (data clusters are not refcounted).
        OpenOptions options = OpenOptions.readOnly().withCheckMode(true).withBackingChain(false);
        try (Qcow2Image img = Qcow2Image.open(image, options)) {
            r = ImageChecker.check(img, ProgressMonitor.NONE);
            namesFiles = img.backingFileName() != null || img.header().externalDataFile();
        }
        return new Checked(r, namesFiles ? ChainProblem.find(image) : null);
    }

    /**
     * Many images: each one checked as above, its problem lines on stderr prefixed by its name; JSON lines (one object
     * per image, qemu-img's keys) or a summary table; the exit status is the worst image's.
     */
    private int checkPool(PrintWriter out, PrintWriter err) throws java.io.IOException {
        PoolSummary summary = new PoolSummary();
        // Images are checked two at a time (both cores); each result is printed here, in the listed order.
        PoolRunner.inOrder(pool.resolve(), CheckCommand::checkOne, (p, c, failure) -> {
            String name = p.toString();
            if (failure != null) {
                summary.add(name, 1, "cannot check: " + CliErrors.describe(failure));
                poolError(out, err, name, CliErrors.describe(failure));
                return;
            }
            CheckResult r = c.result();
            for (Finding f : r.findings()) {
                err.println(name + ": " + f.message());
            }
            if (c.chain() != null) {
                err.println(name + ": " + c.chain().warning());
            }
            if (!r.completed()) {
                summary.add(name, 1, "check failed: " + r.failure());
                poolError(out, err, name, "Check failed: " + r.failure());
                return;
            }
            summary.add(name, r.exitCode(), verdict(r));
            if (output == OutputFormat.json) {
                out.println(Json.line(json(r, name)));
            }
        });
        err.flush();
        if (output == OutputFormat.human) {
            summary.printTable(out, "RESULT");
        }
        out.flush();
        return summary.exitCode();
    }

    private void poolError(PrintWriter out, PrintWriter err, String name, String message) {
        err.println(name + ": " + message);
        if (output == OutputFormat.json) {
            out.println(Json.line(new JsonObject().put("filename", name).put("error", message)));
        }
    }

    /** The table's words for one verdict: "clean", or the counts qemu-img's summary gives. */
    static String verdict(CheckResult r) {
        StringBuilder sb = new StringBuilder();
        if (r.corruptions() != 0) {
            sb.append(r.corruptions()).append(" corruptions");
        }
        if (r.leaks() != 0) {
            sb.append(sb.length() > 0 ? ", " : "").append(r.leaks()).append(" leaked clusters");
        }
        if (r.checkErrors() != 0) {
            sb.append(sb.length() > 0 ? ", " : "").append(r.checkErrors()).append(" internal errors");
        }
        return sb.length() == 0 ? "clean" : sb.toString();
    }

    /** {@code -r leaks|all}: repair, then report the re-check with the repaired counts, as qemu-img does (spec 5.1). */
    private int repairInPlace(PrintWriter out, PrintWriter err) throws Exception {
        if (!"leaks".equals(repair) && !"all".equals(repair)) {
            throw new IllegalArgumentException("-r takes leaks or all, not '" + repair + "'");
        }
        io.qcowscope.engine.repair.RepairReport rep;
        try {
            rep = io.qcowscope.engine.repair.QemuStyleRepair.repair(image, "all".equals(repair), ProgressMonitor.NONE);
        } catch (io.qcowscope.engine.repair.QemuCheckFailure e) {
            err.println("qcowscope: Marking image as corrupt: " + e.getMessage());
            err.println("qcowscope: Check failed: Input/output error");
            err.flush();
            return 1;
        }
        if (rep == null) {
            err.println(io.qcowscope.engine.repair.QemuStyleRepair.NEED_REBUILD);
            err.println("qcowscope: Check failed: Input/output error");
            err.flush();
            return 1;
        }
        CheckResult r = rep.after();
        if ((rep.corruptionsFixed() > 0 || rep.leaksFixed() > 0) && output == OutputFormat.human) {
            // qemu-img's img_check prints this on stdout, and only in human output
            out.printf("The following inconsistencies were found and repaired:%n%n    %d leaked clusters%n"
                    + "    %d corruptions%n%nDouble checking the fixed image now...%n", rep.leaksFixed(),
                    rep.corruptionsFixed());
            out.flush();
        }
        for (Finding f : r.findings()) {
            err.println(f.message());
        }
        err.flush();
        if (output == OutputFormat.json) {
            JsonObject o = json(r, image.toString());
            if (rep.corruptionsFixed() > 0) {
                o.put("corruptions-fixed", rep.corruptionsFixed());
            }
            if (rep.leaksFixed() > 0) {
                o.put("leaks-fixed", rep.leaksFixed());
            }
            out.println(Json.qemu(o));
        } else {
            printHuman(out, r, 0);
        }
        out.flush();
        return r.exitCode();
    }

    /** qemu-img's keys; the optional ones are omitted when 0 (spec 5.7). */
    static JsonObject json(CheckResult r, String filename) {
        JsonObject o = new JsonObject();
        putNonZero(o, "image-end-offset", r.imageEndOffset());
        putNonZero(o, "total-clusters", r.totalClusters());
        o.put("check-errors", r.checkErrors());
        putNonZero(o, "corruptions", r.corruptions());
        putNonZero(o, "leaks", r.leaks());
        putNonZero(o, "allocated-clusters", r.allocatedClusters());
        putNonZero(o, "fragmented-clusters", r.fragmentedClusters());
        putNonZero(o, "compressed-clusters", r.compressedClusters());
        o.put("filename", filename);
        o.put("format", "qcow2");
        JsonObject ours = o.putObject("qcowscope");
        ours.put("rebuild-needed", r.rebuildNeeded());
        ours.put("findings-dropped", r.findingsDropped());
        List<Object> list = ours.putArray("findings");
        for (Finding f : r.findings()) {
            JsonObject n = new JsonObject();
            list.add(n);
            n.put("kind", f.kind().name());
            n.put("severity", f.severity().name());
            n.put("path", f.path());
            if (f.byteOffset() >= 0) {
                n.put("offset", f.byteOffset());
            }
            if (f.hostCluster() >= 0) {
                n.put("host-cluster", f.hostCluster());
            }
            if (f.expected() != null) {
                n.put("expected", f.expected());
            }
            if (f.found() != null) {
                n.put("found", f.found());
            }
            if (f.guestOffset() >= 0) {
                n.put("guest-offset", f.guestOffset());
                n.put("guest-length", f.guestLength());
            }
            n.put("repairable", f.repairable());
            n.put("message", f.message());
        }
        return o;
    }

    private static void putNonZero(JsonObject o, String key, long v) {
        if (v != 0) {
            o.put(key, v);
        }
    }

    /** qemu-img's dump_human_image_check, and how many warnings stderr has ({@code more}: besides the findings'). */
    static void printHuman(PrintWriter out, CheckResult r, int more) {
        if (r.corruptions() == 0 && r.leaks() == 0 && r.checkErrors() == 0) {
            out.println("No errors were found on the image.");
        } else {
            if (r.corruptions() != 0) {
                out.printf("%n%d errors were found on the image.%nData may be corrupted, or further writes to the "
                        + "image may corrupt it.%n", r.corruptions());
            }
            if (r.leaks() != 0) {
                out.printf("%n%d leaked clusters were found on the image.%nThis means waste of disk space, but no "
                        + "harm to data.%n", r.leaks());
            }
            if (r.checkErrors() != 0) {
                out.printf("%n%d internal errors have occurred during the check.%n", r.checkErrors());
            }
        }
        long warnings = r.findings().stream().filter(f -> f.severity() == Severity.WARNING).count() + more;
        if (r.totalClusters() != 0 && r.allocatedClusters() != 0) {
            out.printf(Locale.ROOT, "%d/%d = %.2f%% allocated, %.2f%% fragmented, %.2f%% compressed clusters%n",
                    r.allocatedClusters(), r.totalClusters(), r.allocatedClusters() * 100.0 / r.totalClusters(),
                    r.fragmentedClusters() * 100.0 / r.allocatedClusters(),
                    r.compressedClusters() * 100.0 / r.allocatedClusters());
        }
        if (r.imageEndOffset() != 0) {
            out.println("Image end offset: " + r.imageEndOffset());
        }
        if (warnings > 0) {
            out.println(warnings + " qcowscope warnings (see stderr; they do not change the verdict).");
        }
    }
}
