package dev.m2m100.engine.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file (or index) that is malformed or cannot be used; the message names the file and tensor. */
public final class SafetensorsException extends IOException {

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }

    static SafetensorsException of(Path file, String message) {
        return new SafetensorsException(file + ": " + message);
    }

    static SafetensorsException of(Path file, String tensor, String message) {
        return new SafetensorsException(file + ": tensor '" + tensor + "': " + message);
    }
}
