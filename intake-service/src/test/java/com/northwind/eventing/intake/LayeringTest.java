package com.northwind.eventing.intake;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The intake's layering, as STYLE.md sets it: the publish core knows no transport; transports never touch Kafka. */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.northwind.eventing.intake");

    @Test
    void shouldKeepThePublishCoreFreeOfTransports() {
        noClasses()
                .that()
                .resideInAPackage("..intake.publish..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..intake.rest..",
                        "..intake.grpc..",
                        "org.springframework.web..",
                        "io.grpc..",
                        "jakarta.servlet..")
                .because("the publish core is shared by REST and gRPC and must behave the same under both")
                .check(CLASSES);
    }

    @Test
    void shouldKeepTransportsAwayFromKafka() {
        noClasses()
                .that()
                .resideInAnyPackage("..intake.rest..", "..intake.grpc..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka.clients.producer..")
                .because("only the firehose writes to Kafka, so that nothing is acknowledged before Kafka holds it")
                .check(CLASSES);
    }
}
