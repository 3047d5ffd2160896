package dev.m2m100.server;

/** The HTTP surface of the service, in one place (the k8s manifests and their tests refer to it). */
public final class Routes {
    public static final int DEFAULT_PORT = 9527;

    public static final String TRANSLATION = "/translation";
    public static final String LANGUAGES = "/languages";
    public static final String HEALTH = "/health";
    public static final String READY = "/ready";
    public static final String METRICS = "/metrics";
    public static final String OPENAPI = "/openapi";

    private Routes() {}
}
