package com.northwind.eventing.intake;

import com.northwind.eventing.intake.config.IntakeProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The intake: producers publish events over REST and gRPC. */
@SpringBootApplication
@EnableConfigurationProperties(IntakeProperties.class)
public class IntakeApplication {
    /** Its configuration file is {@code intake.yml}, so it can share a JVM (standalone) with the other services. */
    public static final String CONFIG_NAME = "intake";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** How every launcher starts the intake: its own configuration file, whatever else is on the classpath. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IntakeApplication.class)
                .properties(Map.of("spring.config.name", CONFIG_NAME));
    }
}
