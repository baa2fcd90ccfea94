package com.northwind.eventing.admin.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.problem.ProblemTypes;
import com.northwind.eventing.admin.security.AdminRoutes;
import com.northwind.eventing.web.RouteTable;
import com.northwind.eventing.web.openapi.OpenApiDocument;
import com.northwind.eventing.web.testing.OpenApiSpec;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The admin API's document and the code agree: every route of the allow-list is documented with exactly its method and
 * path template, every documented operation is a route, and the problem types are those {@link ProblemTypes} defines.
 * A route without a document entry fails the build here.
 */
class OpenApiContractTest {
    private static final OpenApiSpec SPEC = OpenApiSpec.load(OpenApiDocument.ADMIN);

    /** Every route (with the embedded registry's), but the actuator's: Spring Boot's own, documented by it. */
    private static Set<String> routes() {
        return AdminRoutes.table(true).routes().stream()
                .filter(r -> !r.pattern().getPatternString().startsWith("/actuator/"))
                // The console's static files: pages, not API operations.
                .filter(r -> !r.pattern().getPatternString().startsWith("/console/"))
                .map(RouteTable.Route::describe)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> definedSlugs() {
        return Arrays.stream(ProblemTypes.values())
                .map(t -> t.type().toString().substring(ProblemTypes.BASE.length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void shouldDocumentEveryRouteAndNothingElseWhenAllowListIsRead() {
        Set<String> routes = routes();

        Set<String> documented = SPEC.operations();

        assertThat(documented)
                .as(
                        "documented operations against AdminRoutes.table(true) (missing: %s; extra: %s)",
                        minus(routes, documented), minus(documented, routes))
                .isEqualTo(routes);
    }

    @Test
    void shouldMarkAnOperationPlannedOnlyWhileNoRouteServesIt() {
        Set<String> routes = routes();

        Set<String> planned = SPEC.plannedOperations();

        assertThat(planned)
                .as("served now: remove x-eventing-planned from these operations")
                .doesNotContainAnyElementsOf(routes);
    }

    @Test
    void shouldDocumentEveryProblemTypeAndNoOtherWhenProblemTypesAreRead() {
        Set<String> defined = definedSlugs();

        Set<String> documented = SPEC.problemSlugs();

        assertThat(documented)
                .as(
                        "x-problem-types against ProblemTypes (missing: %s; undefined: %s)",
                        minus(defined, documented), minus(documented, defined))
                .isEqualTo(defined);
        assertThat(SPEC.plannedProblemSlugs())
                .as("defined now: remove x-eventing-planned from these problem types")
                .doesNotContainAnyElementsOf(defined);
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
