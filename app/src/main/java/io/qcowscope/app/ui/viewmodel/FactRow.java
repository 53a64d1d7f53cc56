package io.qcowscope.app.ui.viewmodel;

/** A named fact shown in a two or three column table. */
public record FactRow(String name, String value, String detail) {
}
