package com.northwind.eventing.router;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The router's layering, as STYLE.md sets it. */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.northwind.eventing.router");

    @Test
    void shouldKeepTheTopologyFreeOfSpring() {
        noClasses()
                .that()
                .resideInAPackage("..router.topology..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "com.northwind.eventing.router.config..")
                .because("production and TopologyTestDriver tests build the topology with the same plain methods")
                .check(CLASSES);
    }

    @Test
    void shouldKeepTheAggregatorFreeOfSpring() {
        noClasses()
                .that()
                .resideInAPackage("..router.aggregation..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "com.northwind.eventing.router.config..")
                .because("production and TopologyTestDriver tests build the aggregator with the same plain methods")
                .check(CLASSES);
    }
}
