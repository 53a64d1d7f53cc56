package io.qcowscope.app.ui.view.edit;

import io.qcowscope.engine.repair.RiskLevel;
import javafx.scene.control.Label;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** A risk level as a label with an icon and a colour class (risk-safe, risk-rewrites-metadata, risk-changes-guest-data). */
final class RiskBadge {
    private RiskBadge() {
    }

    static Label of(RiskLevel r) {
        Label l = new Label(r.label(), new FontIcon(switch (r) {
            case SAFE -> Feather.CHECK_CIRCLE;
            case REWRITES_METADATA -> Feather.REFRESH_CW;
            case CHANGES_GUEST_DATA -> Feather.ALERT_TRIANGLE;
        }));
        l.getStyleClass().addAll("risk-badge", "risk-" + r.label());
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }
}
