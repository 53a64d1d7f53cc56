package io.qcowscope.engine.repair;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.ImageChecker;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;

/** A check of an image together with the references it found, the input of planning and of every repair step. */
record Analysis(CheckResult check, ReferenceCollector refs) {

    static Analysis of(Qcow2Image img, ProgressMonitor monitor) throws IOException {
        ReferenceCollector refs = new ReferenceCollector(img.geometry().clustersFor(img.storage().size()));
        CheckResult r = ImageChecker.check(img, monitor, refs);
        return new Analysis(r, refs);
    }
}
