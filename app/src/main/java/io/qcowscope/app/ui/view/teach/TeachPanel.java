package io.qcowscope.app.ui.view.teach;

import io.qcowscope.app.ui.viewmodel.teach.ExplainViewModel;
import io.qcowscope.app.ui.viewmodel.teach.ReadStepperViewModel;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The teaching side panel (F1): the Explain panel and the read stepper, as two tabs. */
public final class TeachPanel extends TabPane {
    private final Tab explainTab;
    private final Tab readTab;
    private final ReadStepperView stepper;

    public TeachPanel(ExplainViewModel explain, ReadStepperViewModel read, ObservableValue<Boolean> dark) {
        setId("teachPanel");
        getStyleClass().add("teach-panel");
        explainTab = new Tab("Explain", new ExplainPanel(explain));
        explainTab.setGraphic(new FontIcon(Feather.BOOK_OPEN));
        explainTab.setId("tab-explain");
        stepper = new ReadStepperView(read, dark);
        readTab = new Tab("Read step by step", stepper);
        readTab.setGraphic(new FontIcon(Feather.CORNER_DOWN_RIGHT));
        readTab.setId("tab-readstepper");
        getTabs().addAll(explainTab, readTab);
        setTabClosingPolicy(TabClosingPolicy.UNAVAILABLE);
        setMinWidth(260);
    }

    /** Below the views (a wide, short area): the stepper puts the bits beside its text instead of below. */
    public void setWide(boolean wide) {
        stepper.setWide(wide);
    }

    public void showExplain() {
        getSelectionModel().select(explainTab);
    }

    public void showStepper() {
        getSelectionModel().select(readTab);
    }

    public ReadStepperView stepper() {
        return stepper;
    }
}
