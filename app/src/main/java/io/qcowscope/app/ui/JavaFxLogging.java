package io.qcowscope.app.ui;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps JavaFX's "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" warning off the user's
 * terminal. It is logged once at startup when JavaFX comes from the class path ({@code java -jar}); the packaged app runs
 * JavaFX from the runtime's modules and never logs it. Every other record of the {@code javafx} logger passes.
 */
public final class JavaFxLogging {
    static final String MODULE_WARNING = "Unsupported JavaFX configuration";
    /** JUL holds loggers weakly: this reference keeps the filter installed. */
    private static final Logger JAVAFX = Logger.getLogger("javafx");

    private JavaFxLogging() {
    }

    public static void quietModuleWarning() {
        Filter previous = JAVAFX.getFilter();
        JAVAFX.setFilter(r -> (r.getMessage() == null || !r.getMessage().startsWith(MODULE_WARNING))
                && (previous == null || previous.isLoggable(r)));
    }
}
