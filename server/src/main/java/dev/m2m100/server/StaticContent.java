package dev.m2m100.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The pages for people, all from the classpath (no build step, no CDN: they work offline in a cluster):
 * the playground at {@code GET /} and Swagger UI at {@code GET /docs}, whose files come from the
 * {@code org.webjars:swagger-ui} jar and are served below {@code /docs/}.
 */
final class StaticContent {
    private static final String WEBJAR_PROPERTIES = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** The Swagger UI files the docs page loads, with their content types (nothing else is served). */
    private static final Map<String, String> SWAGGER_FILES = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");
    private static final String HTML = "text/html; charset=utf-8";

    private final byte[] playground;
    private final byte[] docs;
    private final String swaggerRoot;

    StaticContent() {
        this.playground = resource(StaticContent.class, "playground.html");
        this.docs = resource(StaticContent.class, "docs.html");
        this.swaggerRoot = "/META-INF/resources/webjars/swagger-ui/" + swaggerVersion() + "/";
    }

    void playground(ServerRequest req, ServerResponse res) {
        send(res, HTML, playground);
    }

    /** {@code /docs} is the page; {@code /docs/} sends the browser to it; {@code /docs/FILE} is a Swagger UI file. */
    void docs(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (path.equals(Routes.DOCS)) {
            send(res, HTML, docs);
            return;
        }
        String file = path.substring(Routes.DOCS.length() + 1);
        if (file.isEmpty()) {
            res.status(Status.MOVED_PERMANENTLY_301);
            res.header(HeaderNames.LOCATION, "../docs"); // relative: also right behind a path-prefix proxy
            res.send();
            return;
        }
        String type = SWAGGER_FILES.get(file);
        if (type == null) {
            throw new ApiException(404, ErrorCodes.NOT_FOUND, "no such file: " + path, null);
        }
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
        send(res, type, resource(StaticContent.class, swaggerRoot + file));
    }

    private static void send(ServerResponse res, String type, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.send(body);
    }

    private static String swaggerVersion() {
        Properties p = new Properties();
        try (InputStream in = StaticContent.class.getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR_PROPERTIES, e);
        }
        return p.getProperty("version");
    }

    static byte[] resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
