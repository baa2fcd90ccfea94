package com.northwind.eventing.admin.security;

import com.northwind.eventing.admin.app.AppService;
import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.web.HttpEdge;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** admin-api's HTTP edge: the shared guards ({@link HttpEdge}), then its own allow-list. */
@Configuration(proxyBeanMethods = false)
@Import(HttpEdge.class)
@EnableConfigurationProperties({SessionProperties.class, RequestSizeProperties.class, ConsoleTraceProperties.class})
class SecurityConfig {
    @Bean
    Credentials credentials(AdminProperties properties) {
        return new Credentials(
                properties.adminToken(), properties.schemaRegistry().serviceToken());
    }

    @Bean
    ConsoleSessions consoleSessions(SessionProperties properties, Clock clock) {
        return new ConsoleSessions(properties, clock);
    }

    @Bean
    SignInThrottle signInThrottle(SessionProperties properties, Clock clock) {
        return new SignInThrottle(properties.signInFailuresPerMinute(), clock);
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(RequestSizeProperties properties) {
        FilterRegistrationBean<RequestSizeLimit> r =
                new FilterRegistrationBean<>(new RequestSizeLimit(properties.maxRequestBytes()));
        // After the allow-list: a caller without a credential gets its 401 on a protected route, whatever it sends.
        r.setOrder(HttpEdge.ROUTES_ORDER + 1);
        return r;
    }

    @Bean
    FilterRegistrationBean<AdminRouteFilter> adminRouteFilter(
            AdminProperties properties,
            Credentials credentials,
            ConsoleSessions sessions,
            // Looked up at the first request: the filter is made with the web server, before the registry is read.
            ObjectProvider<AppService> apps) {
        AdminProperties.SchemaRegistry registry = properties.schemaRegistry();
        return HttpEdge.register(new AdminRouteFilter(
                AdminRoutes.table(registry.embedded()),
                credentials,
                new RegistryWrites(registry.openWrites()),
                apps,
                sessions));
    }
}
