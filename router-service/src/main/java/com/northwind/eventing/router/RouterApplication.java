package com.northwind.eventing.router;

import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.config.AggregatorProperties;
import com.northwind.eventing.router.config.RouterProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The router: fans the firehose out to subscription topics, filtered, projected and redacted per subscriber. */
@SpringBootApplication
@EnableConfigurationProperties({RouterProperties.class, AggregatorProperties.class})
public class RouterApplication {
    /** Its configuration file is {@code router.yml}, so it can share a JVM (standalone) with the other services. */
    public static final String CONFIG_NAME = "router";

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The router's tracing: off unless OTEL_TRACES_EXPORTER (or otel.traces.exporter) names an exporter. Closed after
     * the streams stop, so that the last records' spans are exported. One given to the context (an embedding
     * process's, a test's) is used instead.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Tracing.class)
    Tracing routerTracing() {
        return Tracing.fromEnvironment("eventing-router");
    }

    /** How every launcher starts the router: its own configuration file, whatever else is on the classpath. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(RouterApplication.class)
                .properties(Map.of("spring.config.name", CONFIG_NAME));
    }
}
