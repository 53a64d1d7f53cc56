package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.ImageChecker;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.image.ImageChain;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.List;

/**
 * A candidate header tried on the file without writing it (issue 14): the image opened over a {@link PatchedView} in
 * QEMU's check mode, and checked. The evidence that stored refcounts agree with the references found.
 */
final class TrialCheck {
    /** What a trial found: it did not open ({@code error} set), or the check's problem count. */
    record Outcome(Qcow2Exception error, CheckResult check) {
        boolean opens() {
            return error == null;
        }

        /** Corruptions, leaks and check errors; a check that stopped counts as more than any finished one. */
        long problems() {
            if (check == null) {
                return Long.MAX_VALUE;
            }
            long p = check.corruptions() + check.leaks() + check.checkErrors();
            return check.completed() ? p : Long.MAX_VALUE / 2 + p;
        }
    }

    private TrialCheck() {
    }

    static OpenOptions options() {
        return OpenOptions.readOnly().withCheckMode(true).withBackingChain(false);
    }

    /** Opens the file as {@code patches} leave it; the caller closes the image. */
    static Qcow2Image open(Storage file, List<Patch> patches) throws IOException {
        return ImageChain.open(new PatchedView(file, patches), file.name(), null, options());
    }

    static Outcome run(Storage file, List<Patch> patches, ProgressMonitor monitor) throws IOException {
        try (Qcow2Image img = open(file, patches)) {
            return new Outcome(null, ImageChecker.check(img, monitor));
        } catch (Qcow2Exception e) {
            return new Outcome(e, null);
        }
    }

    /** Why the file does not open as {@code patches} leave it, or null when it opens. */
    static Qcow2Exception openError(Storage file, List<Patch> patches) throws IOException {
        try (Qcow2Image img = open(file, patches)) {
            return null;
        } catch (Qcow2Exception e) {
            return e;
        }
    }
}
