package io.qcowscope.app.ui.render;

/**
 * The colours a map is painted in (ARGB): one per item code, one per sub-cell code, the background behind the cells and
 * the selection outline.
 */
public record MapColours(int[] codes, int[] subcells, int background, int selection) {
}
