package io.qcowscope.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One row per image of a many-image run, printed as a table after the last image, and the run's exit status: the worst
 * image's. Worst is, from best: 0 (clean), 3 (leaks only), 2 (corruptions), 1 (could not be checked or read).
 */
final class PoolSummary {
    private record Row(int exit, String result, String image) {
    }

    private final List<Row> rows = new ArrayList<>();
    private int worst;

    void add(String image, int exit, String result) {
        rows.add(new Row(exit, result, image));
        worst = worse(worst, exit);
    }

    int exitCode() {
        return worst;
    }

    static int worse(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int exit) {
        return switch (exit) {
            case 0 -> 0;
            case 3 -> 1;
            case 2 -> 2;
            default -> 3;
        };
    }

    void printTable(PrintWriter out, String resultHeader) {
        int width = resultHeader.length();
        for (Row r : rows) {
            width = Math.max(width, r.result().length());
        }
        String format = "%-6s%-" + (width + 2) + "s%s%n";
        out.printf(format, "EXIT", resultHeader, "IMAGE");
        int failed = 0;
        for (Row r : rows) {
            out.printf(format, r.exit(), r.result(), r.image());
            if (r.exit() != 0) {
                failed++;
            }
        }
        out.printf("%d images, %d with a non-zero status; exit status %d%n", rows.size(), failed, worst);
    }
}
