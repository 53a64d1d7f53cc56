/**
 * Host-file facts that pure Java cannot obtain, behind a small native layer.
 *
 * <ul>
 *   <li>{@link io.qcowscope.engine.io.NativeFile}: one file descriptor opened with libc
 *       {@code open()} via JNA; sparse-file queries ({@code SEEK_DATA}/{@code SEEK_HOLE}),
 *       allocated size ({@code st_blocks}), hole punching ({@code fallocate(PUNCH_HOLE)}, QEMU's
 *       discard of freed clusters) and open-file-description (OFD) byte locks.
 *       Falls back to {@link java.nio.channels.FileChannel} when JNA/libc is unavailable.</li>
 *   <li>{@link io.qcowscope.engine.io.ImageLocks}: QEMU's image-locking permission protocol
 *       (qcow2-spec.md section 7) on top of {@code NativeFile}, so that qcowscope detects and
 *       coexists with a running QEMU.</li>
 * </ul>
 *
 * <p>Native support targets Linux on x86_64 and aarch64 (LP64, glibc); everything else uses
 * the pure-Java fallback.
 */
package io.qcowscope.engine.io;
