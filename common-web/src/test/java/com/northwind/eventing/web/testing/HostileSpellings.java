package com.northwind.eventing.web.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Spellings of one path that a server could route as that path while a check on the raw path reads another. */
public final class HostileSpellings {
    private HostileSpellings() {}

    /** Each spelling by what it does, the path as written first. */
    public static Map<String, String> of(String path) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("as written", path);
        List<String> segments = List.of(path.substring(1).split("/"));
        for (int i = 0; i < segments.size(); i++) {
            s.put(
                    "segment " + i + " with its first letter encoded",
                    replace(segments, i, encodeFirst(segments.get(i))));
            s.put("segment " + i + " with a path parameter", replace(segments, i, segments.get(i) + ";x=1"));
            s.put("segment " + i + " with an empty parameter", replace(segments, i, segments.get(i) + ";"));
            s.put(
                    "separator " + i + " doubled",
                    i == 0
                            ? "/" + path
                            : "/" + join(segments.subList(0, i)) + "//" + join(segments.subList(i, segments.size())));
        }
        s.put("first segment fully encoded", "/" + encodeAll(segments.get(0)) + rest(segments));
        s.put("dot segment", "/" + segments.get(0) + "/." + rest(segments));
        s.put("dot-dot segment", "/" + segments.get(0) + "/x/.." + rest(segments));
        s.put("leading dot-dot segment", "/.." + path);
        s.put("encoded dot segment", "/" + segments.get(0) + "/%2e" + rest(segments));
        s.put("encoded dot-dot segment", "/" + segments.get(0) + "/x/%2E%2E" + rest(segments));
        s.put("half-encoded dot-dot segment", "/" + segments.get(0) + "/x/.%2e" + rest(segments));
        s.put("upper case", path.toUpperCase(Locale.ROOT));
        s.put("trailing slash", path + "/");
        s.put("trailing semicolon", path + ";");
        s.put("encoded slash", "/" + segments.get(0) + "%2F" + rest(segments).substring(1));
        s.put(
                "encoded backslash",
                "/" + segments.get(0) + "%5C" + rest(segments).substring(1));
        s.put("backslash", "/" + segments.get(0) + "\\" + rest(segments).substring(1));
        s.put("encoded NUL", path + "%00");
        s.put("encoded NUL inside", "/" + segments.get(0) + "%00" + rest(segments));
        s.put("encoded percent", "/" + segments.get(0) + "%25" + rest(segments));
        return s;
    }

    private static String rest(List<String> segments) {
        return segments.size() < 2 ? "/" : "/" + join(segments.subList(1, segments.size()));
    }

    private static String replace(List<String> segments, int i, String with) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < segments.size(); j++) {
            b.append('/').append(j == i ? with : segments.get(j));
        }
        return b.toString();
    }

    private static String join(List<String> segments) {
        return String.join("/", segments);
    }

    private static String encodeFirst(String segment) {
        return String.format("%%%02X", (int) segment.charAt(0)) + segment.substring(1);
    }

    private static String encodeAll(String segment) {
        StringBuilder b = new StringBuilder();
        for (char c : segment.toCharArray()) {
            b.append(String.format("%%%02X", (int) c));
        }
        return b.toString();
    }
}
