package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

class RowsTest {
    @Test
    void sameCountReplacesOnlyTheRowsThatDiffer() {
        ObservableList<String> rows = FXCollections.observableArrayList("a", "b", "c", "d");
        List<Integer> replaced = new ArrayList<>();
        rows.addListener((ListChangeListener<String>) c -> {
            while (c.next()) {
                for (int i = c.getFrom(); i < c.getTo(); i++) {
                    replaced.add(i);
                }
            }
        });
        Rows.update(rows, List.of("a", "B", "c", "D"));
        assertEquals(List.of("a", "B", "c", "D"), rows);
        assertEquals(List.of(1, 3), replaced);
    }

    @Test
    void anotherCountReplacesAll() {
        ObservableList<String> rows = FXCollections.observableArrayList("a", "b");
        Rows.update(rows, List.of("a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), rows);
        Rows.update(rows, List.of("x"));
        assertEquals(List.of("x"), rows);
    }
}
