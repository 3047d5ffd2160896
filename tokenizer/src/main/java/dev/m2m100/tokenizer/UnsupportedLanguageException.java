package dev.m2m100.tokenizer;

import java.util.List;

/** A language code the model does not know. The message lists the supported codes. */
public final class UnsupportedLanguageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public UnsupportedLanguageException(String code, List<String> supported) {
        super("unsupported language '" + code + "'; supported: " + String.join(", ", supported));
        this.code = code;
    }

    public String code() {
        return code;
    }
}
