package dev.m2m100.engine.family;

import java.io.IOException;

/** A model folder no registered family claims; the message names the folder and what was found in it. */
public final class UnknownModelFamilyException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnknownModelFamilyException(String message) {
        super(message);
    }
}
