package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.app.ui.viewmodel.ImageSession;
import java.nio.file.Path;

/** What the edit view-models need from the window's main view-model: the open image, and reopening it. */
public interface EditHost {

    /** The open image, null when none. FX thread. */
    ImageSession session();

    /** Stops the window's background work on the image (scans, lookups). FX thread. */
    void cancelBackgroundWork();

    /** Closes {@code s}'s image so that nothing reads stale metadata while the file changes; any thread. */
    void releaseImage(ImageSession s);

    /** Opens {@code image} read-only again and rescans it: every view refreshes from the new file. FX thread. */
    void reopen(Path image);

    /** A message for the status bar. FX thread. */
    void status(String message);

    /** An error for the status bar (empty clears it). FX thread. */
    void error(String message);
}
