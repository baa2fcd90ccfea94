package com.northwind.eventing.router;

import com.northwind.eventing.router.config.RouterProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The router: fans the firehose out to subscription topics, filtered, projected and redacted per subscriber. */
@SpringBootApplication
@EnableConfigurationProperties(RouterProperties.class)
public class RouterApplication {
    /** Its configuration file is {@code router.yml}, so it can share a JVM (standalone) with the other services. */
    public static final String CONFIG_NAME = "router";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** How every launcher starts the router: its own configuration file, whatever else is on the classpath. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(RouterApplication.class)
                .properties(Map.of("spring.config.name", CONFIG_NAME));
    }
}
