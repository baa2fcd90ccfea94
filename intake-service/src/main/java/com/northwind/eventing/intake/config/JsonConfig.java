package com.northwind.eventing.intake.config;

import com.northwind.eventing.intake.publish.RequestJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** REST reads request JSON by the same rules as every transport: {@link RequestJson}. */
@Configuration(proxyBeanMethods = false)
class JsonConfig {
    @Bean
    JsonMapperBuilderCustomizer strictRequests() {
        return RequestJson::configure;
    }
}
