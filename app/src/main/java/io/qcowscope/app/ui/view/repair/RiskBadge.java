package io.qcowscope.app.ui.view.repair;

import io.qcowscope.engine.repair.RiskLevel;
import javafx.scene.control.Label;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** A fix's risk in words, colour and icon: safe (check), rewrites-metadata (layers), changes-guest-data (alert). */
final class RiskBadge {
    private RiskBadge() {
    }

    static Label of(RiskLevel r) {
        FontIcon icon = new FontIcon(switch (r) {
            case SAFE -> Feather.CHECK_CIRCLE;
            case REWRITES_METADATA -> Feather.LAYERS;
            case CHANGES_GUEST_DATA -> Feather.ALERT_OCTAGON;
        });
        Label l = new Label(r.label(), icon);
        l.getStyleClass().addAll("risk", styleClass(r));
        icon.getStyleClass().add("risk-icon");
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }

    /** {@code risk-safe}, {@code risk-rewrites-metadata} or {@code risk-changes-guest-data}. */
    static String styleClass(RiskLevel r) {
        return "risk-" + r.label();
    }
}
