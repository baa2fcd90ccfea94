package com.northwind.eventing.intake.rest;

import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.publish.Publisher;
import io.micrometer.observation.ObservationPredicate;
import java.time.Duration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import tools.jackson.databind.json.JsonMapper;

/** Serves the publish endpoints with {@link EventServlet}, beside Spring MVC (which keeps actuator and the rest). */
@Configuration(proxyBeanMethods = false)
class RestConfig {
    /** Longer than the producer's delivery timeout: it only fires if an outcome were lost. */
    static final Duration ASYNC_TIMEOUT = Duration.ofSeconds(60);

    @Bean
    ServletRegistrationBean<EventServlet> eventServlet(
            Publisher publisher, JsonMapper json, IntakeProperties properties) {
        ServletRegistrationBean<EventServlet> registration = new ServletRegistrationBean<>(
                new EventServlet(
                        publisher,
                        json,
                        properties.limits().maxRequestBytes(),
                        properties.limits().maxBatchEvents(),
                        ASYNC_TIMEOUT),
                EventServlet.SINGLE,
                EventServlet.BATCH);
        registration.setName("eventServlet");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * Leaves the publish endpoints out of Spring's per-request HTTP observations ({@code http.server.requests}):
     * on the hot path they cost more than the rest of a request. {@code eventing.intake.events} and
     * {@code eventing.intake.acknowledgement} count and time publishing instead; other paths keep theirs.
     */
    @Bean
    ObservationPredicate noRequestObservationsForPublishing() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getRequestURI().startsWith(EventServlet.SINGLE));
    }
}
