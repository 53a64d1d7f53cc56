package io.qcowscope.app.ui.view.teach;

import io.qcowscope.app.ui.view.EntryDecoderView;
import io.qcowscope.app.ui.viewmodel.teach.ReadStep;
import io.qcowscope.app.ui.viewmodel.teach.ReadStepperViewModel;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The step-through of a guest read: an offset to walk, Back / Next / Play, the current step's sentences, the bits it names
 * drawn by the entry decoder, and the list of all steps (click one to jump there).
 */
public final class ReadStepperView extends VBox {
    /** How long Play shows each step. */
    static final Duration PLAY_STEP = Duration.seconds(1.8);
    private final ReadStepperViewModel vm;
    private final TextField offset = new TextField();
    private final Timeline player = new Timeline();

    public ReadStepperView(ReadStepperViewModel vm, ObservableValue<Boolean> dark) {
        this.vm = vm;
        getStyleClass().addAll("view-pane", "read-stepper");
        setId("readStepper");
        setSpacing(6);

        offset.setId("stepperOffset");
        offset.setPromptText("guest offset: 0x5000, 20480, 1M");
        offset.setOnAction(e -> vm.explain(offset.getText()));
        HBox.setHgrow(offset, Priority.ALWAYS);
        Button walk = new Button("Walk", new FontIcon(Feather.CORNER_DOWN_RIGHT));
        walk.setId("stepperWalk");
        walk.setMinWidth(Button.USE_PREF_SIZE);
        walk.setTooltip(new Tooltip("Walk a guest read of this offset through the tables and the backing chain"));
        walk.setOnAction(e -> vm.explain(offset.getText()));
        HBox input = new HBox(6, offset, walk);
        input.getStyleClass().add("stepper-input");

        Label message = wrapping("stepperMessage", "stepper-message");
        message.textProperty().bind(vm.messageProperty());

        Button back = new Button("Back", new FontIcon(Feather.CHEVRON_LEFT));
        back.setId("stepperBack");
        back.disableProperty().bind(vm.canBackProperty().not());
        back.setOnAction(e -> vm.back());
        Button next = new Button("Next", new FontIcon(Feather.CHEVRON_RIGHT));
        next.setId("stepperNext");
        next.disableProperty().bind(vm.canNextProperty().not());
        next.setOnAction(e -> vm.next());
        ToggleButton play = new ToggleButton("Play", new FontIcon(Feather.PLAY));
        play.setId("stepperPlay");
        play.selectedProperty().bindBidirectional(vm.playingProperty());
        play.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.steps()));
        Label counter = new Label();
        counter.setId("stepperCounter");
        counter.getStyleClass().add("stepper-counter");
        counter.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.steps().isEmpty() ? ""
                : "step " + (vm.indexProperty().get() + 1) + " of " + vm.steps().size(), vm.indexProperty(), vm.steps()));
        for (javafx.scene.control.Control c : new javafx.scene.control.Control[]{back, next, play, counter}) {
            c.setMinWidth(USE_PREF_SIZE);
        }
        HBox controls = new HBox(6, back, next, play, counter);
        controls.getStyleClass().add("stepper-controls");

        Label title = wrapping("stepperTitle", "stepper-title");
        title.getStyleClass().add("title-4");
        Label text = wrapping("stepperText", "stepper-text");
        vm.currentProperty().addListener((o, a, s) -> {
            title.setText(s == null ? "" : s.title());
            text.setText(s == null ? "" : s.text());
        });

        EntryDecoderView bits = new EntryDecoderView(vm.bitsProperty(), dark);
        bits.setId("stepperBits");
        bits.setMinHeight(150);
        bits.setPrefHeight(190);

        ListView<ReadStep> list = new ListView<>(vm.steps());
        list.setId("stepperSteps");
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(ReadStep s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : (getIndex() + 1) + ". " + s.title());
            }
        });
        list.setPrefHeight(160);
        list.setMinHeight(80);
        vm.indexProperty().addListener((o, a, b) -> {
            if (b.intValue() != list.getSelectionModel().getSelectedIndex()) {
                list.getSelectionModel().select(b.intValue());
                if (b.intValue() >= 0) {
                    list.scrollTo(Math.max(0, b.intValue() - 2));
                }
            }
        });
        list.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0 && b.intValue() != vm.indexProperty().get()) {
                vm.go(b.intValue());
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        player.getKeyFrames().add(new KeyFrame(PLAY_STEP, e -> vm.next()));
        player.setCycleCount(Timeline.INDEFINITE);
        vm.playingProperty().addListener((o, a, b) -> {
            if (b) {
                player.playFromStart();
            } else {
                player.stop();
            }
        });
        this.column = new VBox(6, input, message, controls, title, text, list);
        this.bits = bits;
        this.list = list;
        VBox.setVgrow(column, Priority.ALWAYS);
        setWide(false);
    }

    private final VBox column;
    private final EntryDecoderView bits;
    private final ListView<ReadStep> list;

    /**
     * Wide and short (the panel below the views): the steps on the left, the bits on the right; otherwise one column with the
     * bits under the step's text.
     */
    public void setWide(boolean wide) {
        getChildren().clear();
        column.getChildren().remove(bits);
        if (wide) {
            column.setPrefWidth(400);
            column.setMinWidth(360);
            HBox.setHgrow(bits, Priority.ALWAYS);
            HBox row = new HBox(10, column, bits);
            VBox.setVgrow(row, Priority.ALWAYS);
            getChildren().add(row);
        } else {
            column.setPrefWidth(USE_COMPUTED_SIZE);
            column.setMinWidth(USE_COMPUTED_SIZE);
            column.getChildren().add(column.getChildren().indexOf(list), bits);
            getChildren().add(column);
        }
    }

    private static Label wrapping(String id, String style) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add(style);
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
        return l;
    }

    /** Puts {@code text} in the offset field (the guest map's "Explain this offset" fills it). */
    public void showOffset(String text) {
        offset.setText(text);
    }
}
