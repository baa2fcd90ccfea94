package com.northwind.eventing.admin.console;

import com.northwind.eventing.web.HttpEdge;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The console's headers and its address at {@code /}, right after the allow-list. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfig {
    @Bean
    FilterRegistrationBean<ConsoleHeaders> consoleHeaders() {
        FilterRegistrationBean<ConsoleHeaders> r = new FilterRegistrationBean<>(new ConsoleHeaders());
        r.setOrder(HttpEdge.ROUTES_ORDER + 1);
        return r;
    }
}
