package com.northwind.eventing.intake.rest;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.Publisher;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs before any body is read on {@code /v1/events}: refuses a missing or unknown token (401) and a body over the
 * size limit (413), so neither costs a parse. A body without a Content-Length is counted as it is read.
 */
@Component
class AuthFilter extends OncePerRequestFilter {
    static final String APP = "eventing.app";

    private final Publisher publisher;
    private final long maxBytes;
    private final JsonMapper json = JsonMapper.builder().build();

    AuthFilter(Publisher publisher, IntakeProperties properties) {
        this.publisher = publisher;
        this.maxBytes = properties.limits().maxRequestBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        App app;
        try {
            app = publisher.authenticate(bearer(request.getHeader(HttpHeaders.AUTHORIZATION)));
        } catch (PublishException e) {
            write(request, response, e);
            return;
        }
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            write(request, response, tooLarge());
            return;
        }
        request.setAttribute(APP, app);
        chain.doFilter(length < 0 ? new Limited(request, maxBytes) : request, response);
    }

    PublishException tooLarge() {
        return new PublishException(
                PublishException.Kind.TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private void write(HttpServletRequest request, HttpServletResponse response, PublishException e)
            throws IOException {
        ProblemDetail p = ErrorMapper.toProblem(e);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.getType().toString());
        body.put("title", p.getTitle());
        body.put("status", p.getStatus());
        body.put("detail", p.getDetail());
        body.put("instance", request.getRequestURI());
        response.setStatus(p.getStatus());
        if (e.kind() == PublishException.Kind.UNAUTHENTICATED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"eventing-intake\"");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    /** Thrown from the body stream when a chunked body passes the limit; answered as a 413. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("the request body is larger than " + limit + " bytes");
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws BodyTooLargeException {
                        read += n;
                        if (read > limit) {
                            throw new BodyTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
