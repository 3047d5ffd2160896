package dev.m2m100.server.text;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An HTML text whose text nodes are translated while the markup stays: jsoup parses it (a fragment, or a whole
 * document when it starts one), {@link #texts()} lists the text nodes to translate, {@link #render} writes the
 * same markup back with the translations in their place. Not translated: script and style contents (they are
 * not text nodes), comments, attribute values, {@code code}/{@code kbd}/{@code samp}/{@code var}/
 * {@code textarea} contents, and anything inside an element with {@code translate="no"} or class
 * {@code notranslate} (the HTML standard's and the common convention's opt-outs). Whitespace-only text
 * nodes stay as they are.
 */
final class HtmlText {
    private static final Set<String> VERBATIM_TAGS = Set.of("code", "kbd", "samp", "var", "textarea", "script", "style");

    private final Document document;
    private final boolean wholeDocument;
    private final List<TextNode> nodes = new ArrayList<>();

    private HtmlText(Document document, boolean wholeDocument) {
        this.document = document;
        this.wholeDocument = wholeDocument;
        document.outputSettings().prettyPrint(false);
        Element root = wholeDocument ? document : document.body();
        NodeTraversor.traverse((node, depth) -> {
            if (node instanceof TextNode t && !t.isBlank() && translatable(t)) {
                nodes.add(t);
            }
        }, root);
    }

    static HtmlText parse(String html) {
        String head = html.stripLeading().toLowerCase(Locale.ROOT);
        boolean whole = head.startsWith("<!doctype") || head.startsWith("<html");
        return new HtmlText(whole ? Jsoup.parse(html) : Jsoup.parseBodyFragment(html), whole);
    }

    /** The texts of the translatable text nodes, in document order (entities decoded). */
    List<String> texts() {
        List<String> out = new ArrayList<>(nodes.size());
        for (TextNode t : nodes) {
            out.add(t.getWholeText());
        }
        return out;
    }

    /** All the text a reader sees (for language detection). */
    String plainText() {
        return wholeDocument ? document.text() : document.body().text();
    }

    /** The markup with each translatable text node replaced by its translation (one per {@link #texts()}). */
    String render(List<String> translations) {
        if (translations.size() != nodes.size()) {
            throw new IllegalArgumentException(nodes.size() + " text nodes but " + translations.size() + " translations");
        }
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).text(translations.get(i));
        }
        return wholeDocument ? document.outerHtml() : document.body().html();
    }

    private static boolean translatable(TextNode t) {
        for (Node n = t.parent(); n instanceof Element e; n = e.parent()) {
            if (VERBATIM_TAGS.contains(e.normalName()) || e.attr("translate").equalsIgnoreCase("no")
                    || e.hasClass("notranslate")) {
                return false;
            }
        }
        return true;
    }
}
