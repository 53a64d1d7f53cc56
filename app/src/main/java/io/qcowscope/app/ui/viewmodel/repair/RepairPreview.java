package io.qcowscope.app.ui.viewmodel.repair;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/** The preview the host map, L2 table and refcount views draw: what the fix the user looks at would change. */
public final class RepairPreview {
    private final ReadOnlyObjectWrapper<FixPreview> current = new ReadOnlyObjectWrapper<>(this, "current",
            FixPreview.NONE);

    public ReadOnlyObjectProperty<FixPreview> currentProperty() {
        return current.getReadOnlyProperty();
    }

    public FixPreview current() {
        return current.get();
    }

    void show(FixPreview p) {
        current.set(p == null ? FixPreview.NONE : p);
    }
}
