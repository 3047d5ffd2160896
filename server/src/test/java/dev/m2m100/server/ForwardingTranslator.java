package dev.m2m100.server;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.Translator;
import dev.m2m100.engine.language.LanguageTable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A translator that passes every call to the test engine; tests override the call they intercept. */
abstract class ForwardingTranslator implements Translator {
    protected final Translator engine;

    ForwardingTranslator(Translator engine) {
        this.engine = engine;
    }

    @Override
    public CompletableFuture<List<String>> translate(List<String> texts, List<String> fromLangs, String toLang,
                                                     GenerationOptions options, RequestContext context) {
        return engine.translate(texts, fromLangs, toLang, options, context);
    }

    @Override
    public LanguageTable languageTable() {
        return engine.languageTable();
    }

    @Override
    public int countSourceTokens(String text, String fromLang) {
        return engine.countSourceTokens(text, fromLang);
    }

    @Override
    public int maxSourceTokens() {
        return engine.maxSourceTokens();
    }

    @Override
    public SchedulerStats stats() {
        return engine.stats();
    }

    @Override
    public void close() {
        engine.close();
    }
}
