package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The replay's settings, and the schema registry its store-sourced envelopes are written under: the embedded one
 * in-process when admin-api embeds it, else the external registry (Confluent's, open to writes by default) over REST.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplayProperties.class)
class ReplayConfig {
    @Bean
    @ConditionalOnExpression("!'${eventing.schema-registry.url:}'.isBlank()")
    SchemaRegistryClient externalSchemaRegistryClient(AdminProperties properties) {
        return new RestSchemaRegistryClient(properties.schemaRegistry().url());
    }
}
