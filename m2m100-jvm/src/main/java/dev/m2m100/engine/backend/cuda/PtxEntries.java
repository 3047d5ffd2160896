package dev.m2m100.engine.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kernel (entry) names a PTX module declares. */
final class PtxEntries {

    private static final Pattern ENTRY = Pattern.compile("^\\.visible \\.entry (\\w+)\\(", Pattern.MULTILINE);

    private PtxEntries() {
    }

    private static final Pattern PARAM = Pattern.compile("\\.param (\\.\\w+) (\\w+)_param_\\d+");

    /** The parameter types of entry {@code entry} in declaration order, e.g. [.u64, .u32, .f32]. */
    static List<String> parameterTypes(String ptx, String entry) {
        int start = ptx.indexOf(".entry " + entry + "(");
        if (start < 0) {
            throw new IllegalArgumentException("no entry " + entry + " in this PTX");
        }
        int end = ptx.indexOf(')', start);
        List<String> types = new ArrayList<>();
        Matcher m = PARAM.matcher(ptx.substring(start, end));
        while (m.find()) {
            types.add(m.group(1));
        }
        return List.copyOf(types);
    }

    static List<String> of(String ptx) {
        List<String> names = new ArrayList<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }
}
