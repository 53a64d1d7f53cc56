package io.qcowscope.engine.write;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the qemu-io commands {@code write [-P n] [-z [-u]] OFF LEN} and {@code discard OFF LEN} on our engine. */
final class QemuIoScript {
    private QemuIoScript() {
    }

    static void apply(WritableImage w, String... commands) throws IOException {
        for (String c : commands) {
            applyOne(w, c);
        }
    }

    static void applyOne(WritableImage w, String command) throws IOException {
        List<String> t = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
        String verb = t.remove(0);
        int pattern = 0xcd; // qemu-io's default write pattern
        boolean zero = false;
        boolean unmap = false;
        while (t.get(0).startsWith("-")) {
            String f = t.remove(0);
            switch (f) {
                case "-P" -> pattern = Integer.decode(t.remove(0));
                case "-z" -> zero = true;
                case "-u" -> unmap = true;
                case "-q" -> { }
                default -> throw new IllegalArgumentException("flag " + f);
            }
        }
        long off = size(t.get(0));
        long len = size(t.get(1));
        switch (verb) {
            case "write" -> {
                if (zero) {
                    w.writeZeroes(off, len, unmap);
                } else {
                    byte[] b = new byte[(int) len];
                    Arrays.fill(b, (byte) pattern);
                    w.write(off, b);
                }
            }
            case "discard" -> w.discard(off, len);
            default -> throw new IllegalArgumentException(verb);
        }
    }

    static long size(String s) {
        s = s.toLowerCase();
        long mul = 1;
        if (s.endsWith("k")) {
            mul = 1024;
        } else if (s.endsWith("m")) {
            mul = 1 << 20;
        } else if (s.endsWith("g")) {
            mul = 1L << 30;
        }
        if (mul != 1) {
            s = s.substring(0, s.length() - 1);
        }
        return Long.decode(s) * mul;
    }
}
