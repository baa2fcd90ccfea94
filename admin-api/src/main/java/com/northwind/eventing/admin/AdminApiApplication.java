package com.northwind.eventing.admin;

import com.northwind.eventing.admin.config.AdminProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The admin API: registry management and the embedded schema registry. */
@SpringBootApplication
@EnableConfigurationProperties(AdminProperties.class)
public class AdminApiApplication {
    /** Its configuration file is {@code admin-api.yml}, so it can share a JVM (standalone) with the other services. */
    public static final String CONFIG_NAME = "admin-api";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** How every launcher starts admin-api: its own configuration file, whatever else is on the classpath. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(AdminApiApplication.class)
                .properties(Map.of("spring.config.name", CONFIG_NAME));
    }
}
