package io.qcowscope.engine.image;

import io.qcowscope.engine.format.Qcow2Exception;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Why guest reads of an image would fail although its metadata may be sound: a backing file (at any depth) or the
 * external data file that cannot be opened, or a backing chain that loops. QEMU refuses to open such an image at all
 * ({@code qemu-img check} exits 1); our check reads only the image file and reports this beside its verdict. A file the
 * trust gate does not admit was not looked at, so it is no problem here.
 *
 * @param file  the name as the image that names it writes it
 * @param image the image (in the chain) that names the file
 * @param cause the open error, as QEMU words it where we know QEMU's words
 */
public record ChainProblem(String role, String file, String image, String cause) {

    /** Opens {@code path} with its chain (the default trust gate) and returns the first problem, or null. */
    public static ChainProblem find(Path path) {
        try (Qcow2Image img = Qcow2Image.open(path, OpenOptions.readOnly())) {
            return find(img, path.toString());
        } catch (IOException | RuntimeException e) {
            return null; // the image itself does not open this way: the check's verdict says why
        }
    }

    private static ChainProblem find(Qcow2Image img, String name) {
        Qcow2Exception data = img.dataFileError();
        if (data != null && !(data instanceof UntrustedFileException)) {
            return new ChainProblem("data file", img.dataFileName(), name, data.getMessage());
        }
        Qcow2Exception backing = img.backingError();
        if (backing != null) {
            return backing instanceof UntrustedFileException ? null
                    : new ChainProblem("backing file", img.backingFileName(), name, backing.getMessage());
        }
        return img.backing() instanceof Qcow2Image next ? find(next, img.backingFileName()) : null;
    }

    /** The warning line: what is wrong, and that guest reads would fail. */
    public String warning() {
        return "WARNING " + role + " '" + file + "' of " + image + " cannot be used (" + cause + "): guest reads of "
                + "this image would fail (qemu-img refuses to open it); the check's verdict covers the image file only";
    }
}
