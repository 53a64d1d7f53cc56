package io.qcowscope.app.ui;

import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.format.HeaderFields;
import io.qcowscope.engine.image.Qcow2Image;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.cell.PropertyValueFactory;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** The inspector window (minimal for now: the header of the image given on the command line). */
public final class QcowscopeApp extends Application {

    @Override
    public void start(Stage stage) throws Exception {
        List<String> args = getParameters().getRaw();
        BorderPane root = new BorderPane();
        if (args.isEmpty()) {
            root.setCenter(new Label("qcowscope: open an image"));
        } else {
            try (Qcow2Image img = Qcow2Image.open(Path.of(args.get(0)))) {
                TableView<HeaderField> table = new TableView<>(FXCollections.observableArrayList(
                        HeaderFields.of(img.header())));
                String[][] cols = {{"Field", "name"}, {"Offset", "offset"}, {"Value", "value"}, {"Meaning", "meaning"}};
                for (String[] c : cols) {
                    TableColumn<HeaderField, Object> col = new TableColumn<>(c[0]);
                    col.setCellValueFactory(new PropertyValueFactory<>(c[1]));
                    table.getColumns().add(col);
                }
                root.setCenter(table);
            }
        }
        stage.setTitle("qcowscope");
        stage.setScene(new Scene(root, 900, 600));
        stage.show();
    }
}
