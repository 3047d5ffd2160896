package dev.m2m100.server.text;

/** How a text is read: plain text, or HTML whose text nodes are translated and markup kept. */
public enum TextFormat {
    TEXT, HTML
}
