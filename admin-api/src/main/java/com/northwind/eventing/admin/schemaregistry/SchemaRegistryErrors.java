package com.northwind.eventing.admin.schemaregistry;

import com.northwind.eventing.admin.audit.AuditUnavailableException;
import com.northwind.eventing.common.kafka.RegistryUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Errors of the schema registry endpoints in Confluent's shape: {@code {"error_code": 40401, "message": "..."}}. */
@EmbeddedRegistry
@RestControllerAdvice(assignableTypes = SchemaRegistryController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SchemaRegistryErrors {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryErrors.class);

    @ExceptionHandler(RegistryError.class)
    ResponseEntity<Map<String, Object>> registry(RegistryError e) {
        return body(e.status, e.errorCode, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(400, 400, "the request body is not a valid schema request: expected {\"schema\": \"...\"}");
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Map<String, Object>> badParameter(Exception e) {
        return body(400, 400, e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(415, 415, "Unsupported content type; send application/vnd.schemaregistry.v1+json");
    }

    @ExceptionHandler(RegistryUnavailableException.class)
    ResponseEntity<Map<String, Object>> unavailable(RegistryUnavailableException e) {
        log.warn("Schema store unavailable: {}", e.getMessage());
        return body(500, 50001, "Error in the backend datastore: " + e.getMessage());
    }

    @ExceptionHandler(AuditUnavailableException.class)
    ResponseEntity<Map<String, Object>> auditUnavailable(AuditUnavailableException e) {
        // Confluent's shape on the registry's paths; 503, so that its clients try again.
        return body(503, 50301, e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("Unexpected schema registry failure", e);
        return body(500, 50001, "Error in the backend datastore");
    }

    private static ResponseEntity<Map<String, Object>> body(int status, int code, String message) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error_code", code);
        b.put("message", message);
        return ResponseEntity.status(status)
                .contentType(SchemaRegistryController.MEDIA_TYPE)
                .body(b);
    }
}
