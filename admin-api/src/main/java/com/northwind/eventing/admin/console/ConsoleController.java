package com.northwind.eventing.admin.console;

import com.northwind.eventing.admin.problem.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's static files, from {@code console/} on the classpath, under {@code /console/}. Only plain file names
 * with a known extension are looked up, so no path can reach another resource of the jar; each answer may be cached
 * but is revalidated (ETag) on every use, so a reload after an upgrade gets the new files.
 */
@RestController
class ConsoleController {
    static final String PREFIX = "/console";

    private static final Pattern FILE = Pattern.compile("(?:[a-z0-9][a-z0-9_-]*/){0,3}[a-z0-9][a-z0-9_.-]*\\.([a-z]+)");
    private static final Map<String, MediaType> TYPES = Map.of(
            "html",
            new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8),
            "js",
            new MediaType("text", "javascript", java.nio.charset.StandardCharsets.UTF_8),
            "css",
            new MediaType("text", "css", java.nio.charset.StandardCharsets.UTF_8),
            "svg",
            MediaType.parseMediaType("image/svg+xml"),
            "png",
            MediaType.IMAGE_PNG,
            "ico",
            MediaType.parseMediaType("image/x-icon"));

    private record File(byte[] bytes, MediaType type, String etag) {}

    /** The files found so far: only real ones, so that requests for made-up names cannot grow it. */
    private final Map<String, File> files = new ConcurrentHashMap<>();

    @GetMapping(PREFIX + "/**")
    ResponseEntity<byte[]> file(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(PREFIX)) {
            return ResponseEntity.status(302)
                    .header(HttpHeaders.LOCATION, PREFIX + "/")
                    .build();
        }
        String name = path.substring(PREFIX.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        File file = find(name).orElseThrow(() -> new NotFoundException("the console has no file at " + path));
        if (file.etag().equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            return ResponseEntity.status(304)
                    .eTag(file.etag())
                    .cacheControl(CacheControl.noCache())
                    .build();
        }
        return ResponseEntity.ok()
                .contentType(file.type())
                .eTag(file.etag())
                .cacheControl(CacheControl.noCache())
                .body(file.bytes());
    }

    private Optional<File> find(String name) {
        File known = files.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<File> loaded = load(name);
        loaded.ifPresent(f -> files.put(name, f));
        return loaded;
    }

    private static Optional<File> load(String name) {
        var m = FILE.matcher(name);
        if (!m.matches() || name.contains("..") || !TYPES.containsKey(m.group(1))) {
            return Optional.empty();
        }
        try (InputStream in = ConsoleController.class.getClassLoader().getResourceAsStream("console/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\""
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
            return Optional.of(new File(bytes, TYPES.get(m.group(1)), etag));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
