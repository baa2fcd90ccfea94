package com.northwind.eventing.admin.openapi;

import com.northwind.eventing.web.openapi.OpenApiDocument;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API's OpenAPI document, and the intake's too, so that the console (served from admin-api's origin) can
 * show both without a cross-origin call. Open: a description of the API holds no data.
 */
@RestController
class OpenApiController {
    private final OpenApiDocument admin = OpenApiDocument.load(OpenApiDocument.ADMIN);
    private final OpenApiDocument intake = OpenApiDocument.load(OpenApiDocument.INTAKE);

    @GetMapping("/openapi.json")
    ResponseEntity<byte[]> adminJson() {
        return admin.json();
    }

    @GetMapping("/openapi.yaml")
    ResponseEntity<byte[]> adminYaml() {
        return admin.yaml();
    }

    @GetMapping("/openapi/intake.json")
    ResponseEntity<byte[]> intakeJson() {
        return intake.json();
    }

    @GetMapping("/openapi/intake.yaml")
    ResponseEntity<byte[]> intakeYaml() {
        return intake.yaml();
    }
}
