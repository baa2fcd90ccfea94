package com.northwind.eventing.web;

/**
 * Which raw request paths are canonical: those whose structure is the same before and after decoding. Authorization
 * decides on the raw path while Spring MVC routes the decoded one with its path parameters stripped; a path refused
 * here cannot mean one thing to the first and another to the second.
 *
 * <p>Refused: a {@code ;} (path parameters), an empty segment ({@code //}), a backslash, a dot segment, a
 * percent-escape of an unreserved character (letters, digits, {@code -._~}) or of {@code / \ % ;}, of a control
 * character or of NUL, a malformed escape, and any control character or byte outside ASCII. Every other escape is
 * allowed: Confluent's clients percent-encode subject names.
 */
public final class CanonicalPath {
    private CanonicalPath() {}

    /** What is wrong with the raw path (as {@code getRequestURI()} gives it), or null when it is canonical. */
    public static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "the request path must start with '/'";
        }
        int segmentStart = 1;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "the request path has a control character, a space or a byte outside ASCII at position " + i
                        + "; percent-encode it";
            }
            switch (c) {
                case ';' -> {
                    return "the request path has a ';' (path parameters are not accepted)";
                }
                case '\\' -> {
                    return "the request path has a backslash";
                }
                case '%' -> {
                    String escape = escapeProblem(rawPath, i);
                    if (escape != null) {
                        return escape;
                    }
                    i += 2;
                }
                case '/' -> {
                    if (i > 0) {
                        String segment = segmentProblem(rawPath, segmentStart, i);
                        if (segment != null) {
                            return segment;
                        }
                        segmentStart = i + 1;
                    }
                }
                default -> {
                    // an ordinary character
                }
            }
        }
        return segmentStart < rawPath.length() ? segmentProblem(rawPath, segmentStart, rawPath.length()) : null;
    }

    private static String segmentProblem(String path, int start, int end) {
        if (start == end) {
            return "the request path has an empty segment ('//')";
        }
        int length = end - start;
        if ((length == 1 && path.charAt(start) == '.') || (length == 2 && path.startsWith("..", start))) {
            return "the request path has a dot segment ('" + path.substring(start, end) + "')";
        }
        return null;
    }

    private static String escapeProblem(String path, int at) {
        int hi = at + 1 < path.length() ? Character.digit(path.charAt(at + 1), 16) : -1;
        int lo = at + 2 < path.length() ? Character.digit(path.charAt(at + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
            return "the request path has a malformed percent-escape at position " + at;
        }
        int b = hi * 16 + lo;
        String escape = path.substring(at, at + 3);
        if (b == 0) {
            return "the request path has an encoded NUL (" + escape + ")";
        }
        if (b < 0x20 || b == 0x7f) {
            return "the request path has an encoded control character (" + escape + ")";
        }
        if (isUnreserved(b) || b == '/' || b == '\\' || b == '%' || b == ';') {
            return "the request path has " + escape + ", an escape of '" + (char) b + "', which "
                    + (isUnreserved(b) ? "must be sent unescaped" : "is never accepted in a path");
        }
        return null;
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '-'
                || b == '.'
                || b == '_'
                || b == '~';
    }
}
