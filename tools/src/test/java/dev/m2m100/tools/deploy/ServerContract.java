package dev.m2m100.tools.deploy;

import dev.m2m100.server.Routes;
import dev.m2m100.tools.Main;
import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** What the deployment files may rely on: the server's routes and port, the CLI, the documented env vars. */
final class ServerContract {

    /** Every route the server serves (server/src/main/java/dev/m2m100/server/Routes.java). */
    static final Set<String> ROUTES = Routes.METHODS.keySet();

    /**
     * Environment variables with a documented meaning (issue 7 and the service issue): the server's
     * settings, the download tool's, and the in-image launcher's (scripts/m2m100-container.sh).
     */
    static final Set<String> DOCUMENTED_ENV = Set.of(
            // server
            "MODEL_DIR", "DEVICE", "DTYPE", "HOST", "PORT", "THREADS", "MAX_QUEUED", "MAX_ACTIVE", "MAX_BATCH_ROWS",
            "MAX_RECORDS", "MAX_TEXT_CHARS", "MAX_BODY_BYTES", "REQUEST_TIMEOUT_SECONDS", "DRAIN_TIMEOUT_SECONDS",
            "API_KEYS", "API_KEYS_FILE", "RATE_LIMIT_PER_MINUTE", "CORS_ALLOWED_ORIGINS", "LOG_FORMAT", "ACCESS_LOG",
            // download / model cache
            "HF_TOKEN", "HF_ENDPOINT", "M2M100_CACHE",
            // container launcher
            "JAVA_OPTS", "TMPDIR", "M2M100_HOME");

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private ServerContract() {}

    /** The live command line, with whatever sub-commands tools/Main registers. */
    static CommandLine cli() {
        return new CommandLine(new Main());
    }

    /**
     * The container's arguments as the process receives them: kubelet replaces {@code $(NAME)} with the
     * container's env var NAME (and leaves it literally when undefined, which is always a mistake here).
     */
    static List<String> expandedArgs(Container c) {
        List<String> out = new ArrayList<>();
        for (String arg : c.getArgs()) {
            Matcher m = ENV_REFERENCE.matcher(arg);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = Manifests.env(c, name).orElseThrow(() -> new AssertionError(
                        "container " + c.getName() + " refers to $(" + name + ") but defines no env var " + name));
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }
}
