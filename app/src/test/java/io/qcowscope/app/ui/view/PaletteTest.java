package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.layout.GuestClusterState;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every pair of colours one legend shows stays apart: CIE76 colour difference in CIELAB (D65), for normal vision and
 * under simulated deuteranopia (Machado, Oliveira and Fernandes 2009, severity 1, applied in linear RGB).
 */
class PaletteTest {
    /** Clearly different side by side. */
    static final double MIN_NORMAL = 14;
    /** Still told apart with deuteranopia (the host roles are 17 colours; the smaller legends stay far above this). */
    static final double MIN_DEUTERANOPIA = 9;

    @Test
    void hostRolesAreDistinguishableInBothThemes() {
        for (boolean dark : new boolean[]{false, true}) {
            assertDistinct("host roles, dark " + dark, Palette.hostRoles(dark), HostClusterRole.values().length,
                    i -> i, i -> HostClusterRole.values()[i].name());
        }
    }

    @Test
    void guestStatesSubclustersAndLayersAreDistinguishableInBothThemes() {
        for (boolean dark : new boolean[]{false, true}) {
            assertDistinct("guest states, dark " + dark, Palette.guestStates(dark), GuestClusterState.values().length,
                    i -> i, i -> GuestClusterState.values()[i].name());
            int subs = SubclusterType.values().length + 1;
            assertDistinct("subclusters, dark " + dark, Palette.subclusters(dark), subs, i -> i,
                    i -> i < subs - 1 ? SubclusterType.values()[i].name() : "from backing");
            assertDistinct("layers, dark " + dark, Palette.layers(dark), Palette.DISTINCT_LAYERS, i -> i,
                    i -> "layer code " + i);
        }
    }

    @Test
    void deuteranopiaSimulationKeepsGreyAndMergesRedWithGreen() {
        int grey = 0xFF808080;
        assertTrue(deltaE(grey, deuteranopia(grey)) < 1, "a grey stays grey");
        double normal = deltaE(0xFFD55E00, 0xFF009E73);
        double deut = deltaE(deuteranopia(0xFFCC3311), deuteranopia(0xFF33AA11));
        assertTrue(normal > 40 && deut < normal / 2, "red and green come closer: " + normal + " vs " + deut);
    }

    private static void assertDistinct(String what, int[] pal, int n, IntUnaryOperator index,
            java.util.function.IntFunction<String> name) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int a = pal[index.applyAsInt(i)];
                int b = pal[index.applyAsInt(j)];
                double d = deltaE(a, b);
                double dd = deltaE(deuteranopia(a), deuteranopia(b));
                String pair = what + ": " + name.apply(i) + " " + Palette.css(a) + " vs " + name.apply(j) + " "
                        + Palette.css(b);
                assertTrue(d >= MIN_NORMAL, pair + ": delta E " + d);
                assertTrue(dd >= MIN_DEUTERANOPIA, pair + " with deuteranopia: delta E " + dd);
            }
        }
    }

    static double deltaE(int a, int b) {
        double[] x = lab(a);
        double[] y = lab(b);
        return Math.sqrt(Math.pow(x[0] - y[0], 2) + Math.pow(x[1] - y[1], 2) + Math.pow(x[2] - y[2], 2));
    }

    private static double lin(int c) {
        double v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static int unlin(double v) {
        double c = Math.max(0, Math.min(1, v));
        return (int) Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055));
    }

    static int deuteranopia(int argb) {
        double r = lin((argb >> 16) & 0xFF);
        double g = lin((argb >> 8) & 0xFF);
        double b = lin(argb & 0xFF);
        double[][] m = {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413},
            {-0.011820, 0.042940, 0.968881}};
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            out[i] = unlin(m[i][0] * r + m[i][1] * g + m[i][2] * b);
        }
        return 0xFF000000 | out[0] << 16 | out[1] << 8 | out[2];
    }

    static double[] lab(int argb) {
        double r = lin((argb >> 16) & 0xFF);
        double g = lin((argb >> 8) & 0xFF);
        double b = lin(argb & 0xFF);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        return new double[]{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116;
    }
}
