package io.qcowscope.app.cli;

/** {@code --output=human|json}, as qemu-img. */
public enum OutputFormat {
    human,
    json
}
