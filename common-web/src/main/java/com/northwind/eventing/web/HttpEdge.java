package com.northwind.eventing.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The edge every HTTP service of the platform shares, imported by each: the canonical-path guard first, then the Host
 * check, and the container's errors as problems. The service's own {@link AllowListFilter} goes right after them
 * ({@link #ROUTES_ORDER}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpEdgeProperties.class)
public class HttpEdge {
    public static final int CANONICAL_PATH_ORDER = Ordered.HIGHEST_PRECEDENCE;
    public static final int HOST_ORDER = Ordered.HIGHEST_PRECEDENCE + 1;
    public static final int ROUTES_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    @Bean
    FilterRegistrationBean<CanonicalPathFilter> canonicalPathFilter() {
        FilterRegistrationBean<CanonicalPathFilter> r = new FilterRegistrationBean<>(new CanonicalPathFilter());
        r.setOrder(CANONICAL_PATH_ORDER);
        return r;
    }

    @Bean
    FilterRegistrationBean<HostHeaderFilter> hostHeaderFilter(HttpEdgeProperties properties) {
        FilterRegistrationBean<HostHeaderFilter> r = new FilterRegistrationBean<>(new HostHeaderFilter(properties));
        r.setOrder(HOST_ORDER);
        return r;
    }

    @Bean
    ProblemErrorReports problemErrorReports() {
        return new ProblemErrorReports();
    }

    /**
     * Stands in for Spring Boot's {@code BasicErrorController}, which backs off when there is one: no {@code /error}
     * handler, no whitelabel page. Errors are the container's, written by {@link ProblemErrorReportValve}.
     */
    @Bean
    ErrorController noErrorController() {
        return new ErrorController() {};
    }

    /** Registers a service's allow-list filter right after the guards. */
    public static <F extends AllowListFilter<?>> FilterRegistrationBean<F> register(F filter) {
        FilterRegistrationBean<F> r = new FilterRegistrationBean<>(filter);
        r.setOrder(ROUTES_ORDER);
        return r;
    }
}
