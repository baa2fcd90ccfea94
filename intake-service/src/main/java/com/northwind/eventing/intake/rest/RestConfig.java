package com.northwind.eventing.intake.rest;

import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.web.AllowListFilter;
import com.northwind.eventing.web.HttpEdge;
import com.northwind.eventing.web.RouteTable;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the publish endpoints with {@link EventServlet}, beside Spring MVC (which keeps actuator), behind the
 * platform's HTTP edge ({@link HttpEdge}) and the intake's allow-list: the publish routes and the open actuator
 * endpoints, nothing else.
 */
@Configuration(proxyBeanMethods = false)
@Import(HttpEdge.class)
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

    /** What a route of the intake requires of its caller. */
    enum IntakeAccess {
        /** Anyone: health, info, metrics and the API's description. */
        OPEN,
        /** An app token, which {@link EventServlet} checks with the app's grants for each event. */
        APP_TOKEN
    }

    static RouteTable<IntakeAccess> routes() {
        return RouteTable.<IntakeAccess>builder()
                .route(HttpMethod.POST, EventServlet.SINGLE, IntakeAccess.APP_TOKEN)
                .route(HttpMethod.POST, EventServlet.BATCH, IntakeAccess.APP_TOKEN)
                .route(HttpMethod.GET, "/actuator/health", IntakeAccess.OPEN)
                .route(HttpMethod.GET, "/actuator/health/**", IntakeAccess.OPEN)
                .route(HttpMethod.GET, "/actuator/info", IntakeAccess.OPEN)
                .route(HttpMethod.GET, "/actuator/prometheus", IntakeAccess.OPEN)
                .route(HttpMethod.GET, OpenApiController.JSON, IntakeAccess.OPEN)
                .route(HttpMethod.GET, OpenApiController.YAML, IntakeAccess.OPEN)
                .build();
    }

    @Bean
    FilterRegistrationBean<AllowListFilter<IntakeAccess>> intakeRouteFilter() {
        return HttpEdge.register(new AllowListFilter<IntakeAccess>(routes()) {
            @Override
            protected boolean authorize(
                    RouteTable.Found<IntakeAccess> found, HttpServletRequest request, HttpServletResponse response) {
                // OPEN, or APP_TOKEN: the servlet authenticates the token itself, per event.
                return true;
            }
        });
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
