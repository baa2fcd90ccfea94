package com.northwind.eventing.admin.console;

import com.northwind.eventing.admin.problem.NotFoundException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /} when the schema registry is external (so that the embedded one's root is not there): a browser is sent
 * to the console by {@link ConsoleHeaders} before this runs; anything else finds nothing, as before the console.
 */
@RestController
@ConditionalOnExpression("!'${eventing.schema-registry.url:}'.isBlank()")
class ExternalRegistryRoot {
    @GetMapping("/")
    void root() {
        throw new NotFoundException("nothing is served at /; the console is at " + ConsoleHeaders.HOME);
    }
}
