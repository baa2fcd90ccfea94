package com.northwind.eventing.admin.security;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.web.HttpEdge;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** admin-api's HTTP edge: the shared guards ({@link HttpEdge}), then its own allow-list. */
@Configuration(proxyBeanMethods = false)
@Import(HttpEdge.class)
class SecurityConfig {
    @Bean
    FilterRegistrationBean<AdminRouteFilter> adminRouteFilter(AdminProperties properties) {
        AdminProperties.SchemaRegistry registry = properties.schemaRegistry();
        return HttpEdge.register(new AdminRouteFilter(
                AdminRoutes.table(registry.embedded()),
                new Credentials(properties.adminToken(), registry.serviceToken()),
                new RegistryWrites(registry.openWrites())));
    }
}
