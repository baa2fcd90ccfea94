package com.northwind.eventing.intake.rest;

import com.northwind.eventing.web.openapi.OpenApiDocument;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The intake's OpenAPI document. Open: a description of the API holds no data. */
@RestController
class OpenApiController {
    static final String JSON = "/openapi.json";
    static final String YAML = "/openapi.yaml";

    private final OpenApiDocument document = OpenApiDocument.load(OpenApiDocument.INTAKE);

    @GetMapping(JSON)
    ResponseEntity<byte[]> json() {
        return document.json();
    }

    @GetMapping(YAML)
    ResponseEntity<byte[]> yaml() {
        return document.yaml();
    }
}
