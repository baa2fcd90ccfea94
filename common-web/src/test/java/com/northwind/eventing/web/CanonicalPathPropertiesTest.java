package com.northwind.eventing.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.UriUtils;

/**
 * The guard's promise over random paths built from the characters that matter (separators, dots, escapes of every
 * kind): whatever it accepts has, decoded, the same segments as raw, so deciding on the raw path is deciding on what
 * Spring routes.
 */
class CanonicalPathPropertiesTest {
    private static final List<String> PIECES = List.of(
            "/", "/", "a", "v1", "apps", ".", "..", ";", "\\", "%", "%2F", "%2f", "%2E", "%2e", "%5C", "%25", "%3B",
            "%76", "%00", "%0D", "%3A", "%20", "%C3%A9", "%7", "~", "-", "_", "~");

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PIECES).list().ofMaxSize(12).map(p -> "/" + String.join("", p));
    }

    @Property(tries = 3000)
    void shouldKeepSegmentsWhenDecodedWhenPathIsAccepted(@ForAll("paths") String raw) {
        // given a path the guard accepts
        if (CanonicalPath.problem(raw) != null) {
            return;
        }

        // when
        List<String> rawSegments = segments(raw);
        List<String> decoded = rawSegments.stream()
                .map(s -> UriUtils.decode(s, StandardCharsets.UTF_8))
                .toList();

        // then
        assertThat(decoded).hasSameSizeAs(rawSegments);
        assertThat(decoded).noneMatch(s -> s.equals(".") || s.equals(".."));
        assertThat(decoded).noneMatch(s -> s.contains("/") || s.contains(";") || s.contains("\\") || s.isEmpty());
        assertThat(PathContainer.parsePath(raw).elements().stream()
                        .filter(e -> e instanceof PathContainer.PathSegment)
                        .map(e -> ((PathContainer.PathSegment) e).valueToMatch())
                        .toList())
                .isEqualTo(decoded);
        for (int i = 0; i < rawSegments.size(); i++) {
            if (!rawSegments.get(i).contains("%")) {
                assertThat(decoded.get(i)).isEqualTo(rawSegments.get(i));
            }
        }
    }

    @Property(tries = 1000)
    void shouldRefuseWhenAnyForbiddenPieceIsInserted(
            @ForAll("paths") String raw, @ForAll("forbidden") String piece, @ForAll int where) {
        // given an accepted path
        if (CanonicalPath.problem(raw) != null) {
            return;
        }
        int at = 1 + Math.floorMod(where, raw.length());

        // when a forbidden piece goes into it
        String spoiled = raw.substring(0, at) + piece + raw.substring(at);

        // then
        assertThat(CanonicalPath.problem(spoiled)).isNotNull();
    }

    @Provide
    Arbitrary<String> forbidden() {
        return Arbitraries.of(
                ";", "\\", "%2F", "%2f", "%2E", "%5c", "%25", "%3b", "%00", "%0a", "%76", "%41", "%7E", "%5F", "%2D",
                "%g0", "%4", "/./", "/../", "//");
    }

    /** The raw segments after the leading '/', without the empty one a trailing '/' ends (Spring has none either). */
    private static List<String> segments(String raw) {
        if (raw.equals("/")) {
            return List.of();
        }
        String body = raw.endsWith("/") ? raw.substring(1, raw.length() - 1) : raw.substring(1);
        return List.of(body.split("/", -1));
    }
}
