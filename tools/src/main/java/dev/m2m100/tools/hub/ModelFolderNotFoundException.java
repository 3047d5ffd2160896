package dev.m2m100.tools.hub;

import java.io.IOException;

/** {@code --model} names a local folder (by its shape or what exists here) that does not exist: a bad argument. */
public final class ModelFolderNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    ModelFolderNotFoundException(String message) {
        super(message);
    }
}
