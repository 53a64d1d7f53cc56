package io.qcowscope.app.ui.viewmodel.teach;

/**
 * One section of the Explain panel: the generic text of a concept and what it means for the open image.
 *
 * @param markdown    the teaching text (null when the concept has none: the panel then says so)
 * @param inThisImage sentences computed from this image's values
 */
public record Explanation(Concept concept, String markdown, String inThisImage) {

    public static Explanation of(Concept c, String inThisImage) {
        return new Explanation(c, TeachingTexts.markdown(c), inThisImage);
    }
}
