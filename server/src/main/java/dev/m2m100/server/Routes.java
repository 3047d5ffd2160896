package dev.m2m100.server;

import io.helidon.http.Method;

import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP surface of the service, in one place (the k8s manifests and their tests refer to it). */
public final class Routes {
    public static final int DEFAULT_PORT = 9527;

    public static final String TRANSLATION = "/translation";
    public static final String LANGUAGES = "/languages";
    public static final String HEALTH = "/health";
    public static final String READY = "/ready";
    public static final String METRICS = "/metrics";
    public static final String OPENAPI = "/openapi";
    /** LibreTranslate-compatible translation. */
    public static final String TRANSLATE = "/translate";
    /** LibreTranslate-compatible language detection. */
    public static final String DETECT = "/detect";
    /** The playground page. */
    public static final String PLAYGROUND = "/";
    /** Swagger UI over {@link #OPENAPI}; its static files are served below this path. */
    public static final String DOCS = "/docs";

    /** Every route and its one method (OPTIONS is answered on each, for CORS). */
    public static final Map<String, Method> METHODS = methods();

    private Routes() {}

    private static Map<String, Method> methods() {
        Map<String, Method> m = new LinkedHashMap<>();
        m.put(TRANSLATION, Method.POST);
        m.put(TRANSLATE, Method.POST);
        m.put(DETECT, Method.POST);
        for (String get : new String[] {LANGUAGES, HEALTH, READY, METRICS, OPENAPI, PLAYGROUND, DOCS}) {
            m.put(get, Method.GET);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The route a path belongs to ({@link #DOCS} for the files below it), or null for an unknown path. */
    static String routeOf(String path) {
        if (METHODS.containsKey(path)) {
            return path;
        }
        return path.startsWith(DOCS + "/") ? DOCS : null;
    }

    /** The method a path is served with, or null for an unknown path. */
    static Method methodOf(String path) {
        String route = routeOf(path);
        return route == null ? null : METHODS.get(route);
    }

    /** The {@code route} label of the request metrics: a known route, or "unmatched" (bounded cardinality). */
    static String metricsLabel(String path) {
        String route = routeOf(path);
        return route == null ? "unmatched" : route;
    }
}
