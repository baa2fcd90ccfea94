package com.northwind.eventing.intake.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.web.Problems;
import com.northwind.eventing.web.RouteTable;
import com.northwind.eventing.web.openapi.OpenApiDocument;
import com.northwind.eventing.web.testing.OpenApiSpec;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The intake's document and the code agree: every route of the intake's table is documented with exactly its method
 * and path template, every documented operation is a route, and the problem types are those the intake answers.
 */
class OpenApiContractTest {
    private static final OpenApiSpec SPEC = OpenApiSpec.load(OpenApiDocument.INTAKE);

    /**
     * The statuses the intake's HTTP edge answers for itself, outside the publish core: a path on no route (404), a
     * method the route does not take (405), an {@code Accept} the actuator cannot meet (406), and the unexpected (500).
     */
    private static final int[] EDGE_STATUSES = {404, 405, 406, 500};

    @Test
    void shouldDocumentEveryRouteAndNothingElseWhenRouteTableIsRead() {
        Set<String> routes = RestConfig.routes().routes().stream()
                .filter(r -> !r.pattern().getPatternString().startsWith("/actuator/"))
                .map(RouteTable.Route::describe)
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> documented = SPEC.operations();

        assertThat(documented).isEqualTo(routes);
        assertThat(SPEC.plannedOperations()).isEmpty();
    }

    @Test
    void shouldDocumentEveryProblemTypeAndNoOtherWhenTheIntakesSlugsAreRead() {
        Set<String> defined = Stream.concat(
                        Arrays.stream(PublishException.Kind.values()).map(ErrorMapper::slug),
                        Arrays.stream(EDGE_STATUSES).mapToObj(Problems::slug))
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> documented = SPEC.problemSlugs();

        assertThat(documented).isEqualTo(defined);
    }
}
