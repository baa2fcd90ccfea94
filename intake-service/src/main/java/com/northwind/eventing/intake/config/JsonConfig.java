package com.northwind.eventing.intake.config;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;

/** Request JSON is read strictly: a member given twice is refused rather than silently last-one-wins. */
@Configuration(proxyBeanMethods = false)
class JsonConfig {
    @Bean
    JsonMapperBuilderCustomizer strictDuplicates() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
