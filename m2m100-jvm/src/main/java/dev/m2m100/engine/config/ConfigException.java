package dev.m2m100.engine.config;

import java.io.IOException;

/**
 * A {@code config.json} or {@code generation_config.json} that is malformed or out of range; the message names the
 * file and the field. An {@link IOException} like a corrupt weights file: the command line and the server report
 * it as one line, not as a bug.
 */
public final class ConfigException extends IOException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
