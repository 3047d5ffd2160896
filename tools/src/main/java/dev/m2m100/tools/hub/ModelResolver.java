package dev.m2m100.tools.hub;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a {@code --model} argument into a local model folder: an existing folder is used as is; a hub model
 * id is downloaded on first use into the cache ({@code M2M100_CACHE}, default {@code ~/.cache/m2m100}) and
 * taken from there afterwards without contacting the hub.
 */
public final class ModelResolver {

    /** The model {@code serve} uses when none is given. */
    public static final String DEFAULT_MODEL = "facebook/m2m100_418M";
    public static final String DEFAULT_REVISION = "main";

    private final HubSettings settings;
    private final HubClient client;
    private final PrintStream log;

    public ModelResolver(HubSettings settings, PrintStream log, boolean interactive) {
        this(new HubClient(settings, log, interactive), log);
    }

    public ModelResolver(HubClient client, PrintStream log) {
        this.settings = client.settings();
        this.client = client;
        this.log = log;
    }

    /** A resolver for this process: settings from the environment, progress on stderr. */
    public static ModelResolver fromEnvironment() {
        return new ModelResolver(HubSettings.fromSystem(), System.err, ProgressBar.stderrIsTerminal());
    }

    public Path resolve(String model) throws IOException {
        return resolve(model, DEFAULT_REVISION);
    }

    /**
     * Fails at once when {@code model} is meant as a local folder (see {@link #whyAPath}) and does not exist, before
     * anything is started; a hub model id or an existing folder passes.
     */
    public static void checkFolderArgument(String model) throws ModelFolderNotFoundException {
        if (model != null && !model.isBlank() && !Files.isDirectory(Path.of(model.trim()))) {
            String why = whyAPath(model.trim());
            if (why != null) {
                throw notFound(model.trim(), why);
            }
        }
    }

    private static ModelFolderNotFoundException notFound(String model, String why) {
        return new ModelFolderNotFoundException("model folder " + Path.of(model).toAbsolutePath().normalize()
                + " does not exist (" + why + ", so it is not taken for a hub model id)");
    }

    /** The local folder for {@code model} (a folder path or a hub model id), downloading it if needed. */
    public Path resolve(String model, String revision) throws IOException {
        String m = model == null || model.isBlank() ? DEFAULT_MODEL : model.trim();
        Path asPath = Path.of(m);
        if (Files.isDirectory(asPath)) {
            return asPath;
        }
        String notAFolder = whyAPath(m);
        if (notAFolder != null) {
            throw notFound(m, notAFolder);
        }
        Path dir = cacheDir(m, revision);
        if (ModelDownloader.isComplete(dir)) {
            return dir;
        }
        log.println("model " + m + " is not in the cache (" + dir + "): downloading it"
                + (Files.exists(asPath) ? "" : " (there is no local folder named '" + m + "' either)"));
        try {
            new ModelDownloader(client, log).download(m, revision, dir, false);
        } catch (HubException e) {
            throw new HubException(e.kind(), "cannot get model " + m + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * Why {@code model} (not an existing folder) must be meant as a folder rather than a hub id, or null when it has
     * the hub's {@code owner/name} shape and nothing local suggests a path: it starts with {@code /}, {@code .} or
     * {@code ~}; it has no {@code owner/name} shape; or its first part exists here (a mistyped
     * {@code models/m2m100_418M} when {@code models/} exists).
     */
    static String whyAPath(String model) {
        if (model.startsWith("/") || model.startsWith(".") || model.startsWith("~")) {
            return "it starts with " + model.charAt(0);
        }
        if (!model.contains("/") || !ModelDownloader.isModelId(model)) {
            return "it is not of the form owner/name";
        }
        Path parent = Path.of(model).getParent();
        if (parent != null && Files.exists(parent)) {
            return parent + " exists here";
        }
        return null;
    }

    /** Where {@code modelId} at {@code revision} lives in the cache: {@code models/<owner>--<name>/<revision>}. */
    public Path cacheDir(String modelId, String revision) {
        String rev = revision.replaceAll("[^A-Za-z0-9._-]", "_");
        return settings.cacheDir().resolve("models").resolve(modelId.replace("/", "--")).resolve(rev);
    }
}
