package dev.m2m100.tools.convert;

import java.io.IOException;

/** A pickle asked for something a plain tensor state dict never needs (a global, a call, an opcode). */
public final class UnsafePickleException extends IOException {
    public UnsafePickleException(String message) {
        super(message);
    }
}
