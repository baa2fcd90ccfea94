package com.northwind.eventing.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's error report as an RFC 9457 problem instead of its HTML page: for what the container refuses itself (a URI
 * it cannot decode, an encoded '/', a header it cannot parse) and for every {@code sendError} or exception that
 * reaches it. An exception is a 500 carrying only a correlation id; its cause goes to the log.
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ProblemDetail problem = throwable != null && status >= 500
                ? Problems.internal(log, "serving " + request.getMethod() + " " + request.getRequestURI(), throwable)
                : Problems.of(status, Problems.slug(status), title(status), detail(response));
        try {
            response.resetBuffer();
            Problems.write(request, response, problem);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the application took the writer before it failed: nothing more can be said.
            log.debug("Could not write the error report for status {}: {}", status, e.toString());
        }
    }

    private static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    private static String detail(Response response) {
        String message = response.getMessage();
        return message == null || message.isBlank() ? "the HTTP server refused the request" : message;
    }
}
