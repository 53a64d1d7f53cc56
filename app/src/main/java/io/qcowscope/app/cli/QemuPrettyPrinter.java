package io.qcowscope.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;

/**
 * Jackson's pretty printer with qemu-img's one difference in layout: an empty list or object is closed on a new line at
 * its own indentation ({@code [\n    ]}), as QEMU's JSON writer (qobject/json-writer.c) always breaks before the closing
 * bracket; Jackson writes {@code [ ]}.
 */
final class QemuPrettyPrinter extends DefaultPrettyPrinter {
    /** Four-space indents, {@code "key": value}. */
    QemuPrettyPrinter() {
        super(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        _objectIndenter = new DefaultIndenter("    ", "\n");
        _arrayIndenter = new DefaultIndenter("    ", "\n");
    }

    private QemuPrettyPrinter(QemuPrettyPrinter base) {
        super(base);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
        return new QemuPrettyPrinter(this);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        if (nrOfValues == 0) {
            if (!_arrayIndenter.isInline()) {
                --_nesting;
            }
            _arrayIndenter.writeIndentation(g, _nesting);
            g.writeRaw(']');
            return;
        }
        super.writeEndArray(g, nrOfValues);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
        if (nrOfEntries == 0) {
            if (!_objectIndenter.isInline()) {
                --_nesting;
            }
            _objectIndenter.writeIndentation(g, _nesting);
            g.writeRaw('}');
            return;
        }
        super.writeEndObject(g, nrOfEntries);
    }
}
