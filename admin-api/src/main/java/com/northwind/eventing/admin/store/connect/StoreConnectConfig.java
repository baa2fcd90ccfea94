package com.northwind.eventing.admin.store.connect;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The sink connector's setup and health, when {@code eventing.store.connect.url} names a Connect worker. The keys are
 * bound and checked either way, so a bad value stops admin-api at start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StoreConnectProperties.class)
class StoreConnectConfig {
    @Configuration(proxyBeanMethods = false)
    @Conditional(ConnectUrlSet.class)
    static class Enabled {
        @Bean
        StoreSinkConfig storeSinkConfig(StoreConnectProperties properties, Environment environment) {
            return StoreSinkConfig.of(properties, environment);
        }

        @Bean
        ConnectRest storeConnectRest(StoreConnectProperties properties) {
            return new ConnectRest(properties.url(), properties.connectorName(), properties.requestTimeout());
        }

        @Bean
        StoreConnectorSetup storeConnectorSetup(
                StoreConnectProperties properties, StoreSinkConfig sink, ConnectRest storeConnectRest) {
            return new StoreConnectorSetup(properties, sink, storeConnectRest);
        }

        @Bean("storeConnector")
        StoreConnectorHealthIndicator storeConnectorHealthIndicator(ConnectRest storeConnectRest) {
            return new StoreConnectorHealthIndicator(storeConnectRest);
        }
    }

    /** A Connect URL that is not blank ({@code EVENTING_STORE_CONNECT_URL=} leaves the sink to someone else). */
    static final class ConnectUrlSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("eventing.store.connect.url", "");
            return !url.isBlank();
        }
    }
}
