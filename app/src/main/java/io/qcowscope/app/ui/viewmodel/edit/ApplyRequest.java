package io.qcowscope.app.ui.viewmodel.edit;

import java.nio.file.Path;

/**
 * Where an Apply writes: the open file in place, every overwritten byte first kept in the undo journal {@code journal};
 * or a new sparse copy {@code copy}, the open file left untouched.
 */
public record ApplyRequest(boolean inPlace, Path journal, Path copy) {
    public ApplyRequest {
        if (inPlace ? journal == null : copy == null) {
            throw new IllegalArgumentException(inPlace ? "in place needs an undo journal" : "a copy needs a file name");
        }
    }

    public static ApplyRequest inPlace(Path journal) {
        return new ApplyRequest(true, journal, null);
    }

    public static ApplyRequest toCopy(Path copy) {
        return new ApplyRequest(false, null, copy);
    }

    /** The file the operations are written into. */
    public Path target(Path image) {
        return inPlace ? image : copy;
    }
}
