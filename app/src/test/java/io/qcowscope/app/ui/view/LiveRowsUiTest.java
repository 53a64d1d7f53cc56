package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.viewmodel.FactRow;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The overview's figures change in place as the scans finish: their table's rows take the new values without JavaFX
 * setting any row up again (re-indexing every row through its hidden measuring rows is what made it draw the whole
 * window the pulse after), the changed cells show the new text, a value that now needs more lines makes its row taller,
 * and the columns are measured again for it. A new number of figures sets the rows anew.
 */
@ExtendWith(ApplicationExtension.class)
class LiveRowsUiTest {
    private static final String DETAIL = "a detail long enough to wrap onto more lines when the column is narrow";
    final ObservableList<FactRow> figures = FXCollections.observableArrayList();
    final AtomicInteger rowsSetUp = new AtomicInteger();
    TableView<ObjectProperty<FactRow>> table;
    /** The control: the same rows in a table of their own list, whose items are replaced. */
    final ObservableList<FactRow> plainRows = FXCollections.observableArrayList();
    TableView<FactRow> plain;

    @Start
    void start(Stage stage) {
        QcowscopeApp.applyTheme(false);
        for (int i = 0; i < 5; i++) {
            figures.add(new FactRow("figure " + i, "scanning...", i == 3 ? "" : DETAIL + " (" + i + ")"));
        }
        table = LiveRows.table(figures);
        table.getColumns().add(Columns.text("Figure", r -> r.get().name(), 40));
        table.getColumns().add(Columns.text("Value", r -> r.get().value(), 40));
        table.getColumns().add(Columns.wrapping("Detail", r -> r.get().detail(), 100));
        table.setRowFactory(t -> new CountingRow<>());
        plain = Columns.table(plainRows);
        plain.getColumns().add(Columns.text("Figure", FactRow::name, 40));
        plain.getColumns().add(Columns.text("Value", FactRow::value, 40));
        plain.getColumns().add(Columns.wrapping("Detail", FactRow::detail, 100));
        plain.setRowFactory(t -> new CountingRow<>());
        plainRows.setAll(figures);
        table.setMaxWidth(600);
        plain.setMaxWidth(600);
        VBox holder = new VBox(10, table, plain);
        stage.setScene(WindowScene.create(holder, 1024, 700));
        stage.show();
    }

    /** Counts the rows JavaFX sets to another index (a measuring row, or one set aside with index -1). */
    final class CountingRow<T> extends TableRow<T> {
        @Override
        public void updateIndex(int i) {
            if (i != getIndex()) {
                rowsSetUp.incrementAndGet();
            }
            super.updateIndex(i);
        }
    }

    @Test
    void valuesChangeInPlaceWithoutSettingRowsUpAgain(FxRobot robot) {
        WindowUi.settle();
        ObservableList<ObjectProperty<FactRow>> slots = table.getItems();
        ObjectProperty<FactRow> second = slots.get(1);
        double oneLine = height(robot, 1);
        double valueWidth = table.getColumns().get(1).getWidth();
        rowsSetUp.set(0);
        String value = "at least 1.5 GiB, of a value as long as a scan's figures can be";
        robot.interact(() -> figures.set(1, new FactRow("figure 1", value, DETAIL)));
        WindowUi.settle();
        assertEquals(0, rowsSetUp.get(), "no row set to another index for a value that changed in place");
        assertSame(slots, table.getItems(), "the same rows");
        assertSame(second, table.getItems().get(1), "the same row holds the new value");
        assertEquals(value, cellText(robot, 1, 1), "the cell shows the new value");
        assertTrue(table.getColumns().get(1).getWidth() > valueWidth, "the value column measured again for it");
        assertTrue(height(robot, 1) > 1.8 * oneLine, "the narrower detail column wraps the row onto more lines");
        // a detail that now needs more lines, the columns' widths unchanged: its row grows for it
        robot.interact(() -> table.scrollTo(3));
        WindowUi.settle();
        double blank = height(robot, 3);
        rowsSetUp.set(0);
        robot.interact(() -> figures.set(3, new FactRow("figure 3", "7", DETAIL + " " + DETAIL)));
        WindowUi.settle();
        assertEquals(0, rowsSetUp.get(), "measured again, no row set to another index");
        assertEquals(DETAIL + " " + DETAIL, cellText(robot, 3, 2));
        assertTrue(height(robot, 3) > 1.8 * blank, "the row of a detail that wraps grows: " + height(robot, 3)
                + " against " + blank);
        // a new number of figures: the rows are set anew, and show them all
        robot.interact(() -> figures.add(new FactRow("figure 5", "7", "")));
        WindowUi.settle();
        assertEquals(6, table.getItems().size());
        assertEquals(value, cellText(robot, 1, 1));
        robot.interact(() -> table.scrollTo(5));
        WindowUi.settle();
        assertEquals("figure 5", cellText(robot, 5, 0));
        // the control: replacing an item of a table's own list sets its rows up again (what LiveRows avoids)
        rowsSetUp.set(0);
        robot.interact(() -> plainRows.set(1, new FactRow("figure 1", value, DETAIL)));
        WindowUi.settle();
        assertTrue(rowsSetUp.get() > 0, "a replaced item re-indexes the rows of a plain table");
    }

    private double height(FxRobot robot, int index) {
        return row(robot, index).getHeight();
    }

    private TableRow<?> row(FxRobot robot, int index) {
        return robot.from(table).lookup(".table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> r.isVisible() && r.getIndex() == index).findFirst().orElseThrow();
    }

    private String cellText(FxRobot robot, int index, int column) {
        TableRow<?> row = row(robot, index);
        TableCell<?, ?> cell = robot.from(row).lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableColumn() == row.getTableView().getColumns().get(column)).findFirst().orElseThrow();
        return String.valueOf(cell.getItem());
    }
}
