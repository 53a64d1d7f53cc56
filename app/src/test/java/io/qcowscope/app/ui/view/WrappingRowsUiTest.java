package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.viewmodel.FactRow;
import java.util.HashSet;
import java.util.Set;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A table's wrapping column (the overview's figures: name, value, detail) gives its rows the height of their lines again
 * when its width changes, both ways, without the table making its rows again: a scan's new figures widened the value
 * column, and recreating every row for it (a refresh) cost the FX thread 20-50 ms while the scan ran.
 */
@ExtendWith(ApplicationExtension.class)
class WrappingRowsUiTest {
    private static final String DETAIL = "a detail long enough to wrap onto more lines when the column is narrow";
    final ObservableList<FactRow> rows = FXCollections.observableArrayList();
    TableView<FactRow> table;

    @Start
    void start(Stage stage) {
        QcowscopeApp.applyTheme(false);
        for (int i = 0; i < 5; i++) {
            rows.add(new FactRow("figure " + i, "1", DETAIL + " (" + i + ")"));
        }
        table = Columns.table(rows);
        table.getColumns().add(Columns.text("Figure", FactRow::name, 40));
        table.getColumns().add(Columns.text("Value", FactRow::value, 40));
        table.getColumns().add(Columns.wrapping("Detail", FactRow::detail, 100));
        // The table's width is set by its own maximum, not the window's: the stage is shared by the test classes, and one
        // that sizes it leaves that size to the next.
        table.setMaxWidth(600);
        StackPane holder = new StackPane(table);
        holder.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        stage.setScene(WindowScene.create(holder, 1024, 700));
        stage.show();
    }

    @Test
    void rowsFollowTheWrappingColumnsWidthWithoutBeingMadeAgain(FxRobot robot) {
        WindowUi.settle();
        Set<javafx.scene.Node> made = rowsNow(robot);
        double oneLine = height(robot, 1);
        // a long value narrows the detail column: its rows take more lines
        robot.interact(() -> rows.set(0, new FactRow("figure 0", "a value as long as a scan's figures can be", DETAIL)));
        WindowUi.settle();
        double narrow = height(robot, 1);
        assertTrue(narrow > 1.8 * oneLine, "a narrower detail column: more lines (" + oneLine + " -> " + narrow + ")");
        // back to a short value: one line again
        robot.interact(() -> rows.set(0, new FactRow("figure 0", "1", DETAIL)));
        WindowUi.settle();
        assertEquals(oneLine, height(robot, 1), 0.5, "one line again");
        // a narrower table wraps the detail too, and a wider one unwraps it
        robot.interact(() -> table.setMaxWidth(320));
        WindowUi.settle();
        assertTrue(height(robot, 1) > 1.8 * oneLine, "a narrow table: more lines");
        robot.interact(() -> table.setMaxWidth(900));
        WindowUi.settle();
        assertTrue(height(robot, 1) <= oneLine + 0.5, "a wide table: one line");
        assertTrue(rowsNow(robot).containsAll(made), "the rows shown at first are the rows shown now");
    }

    private static Set<javafx.scene.Node> rowsNow(FxRobot robot) {
        return new HashSet<>(robot.lookup(".table-row-cell").queryAll());
    }

    private static double height(FxRobot robot, int index) {
        return robot.lookup(".table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> r.isVisible() && r.getIndex() == index).findFirst().orElseThrow().getHeight();
    }
}
