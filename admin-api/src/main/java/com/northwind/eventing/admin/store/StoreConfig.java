package com.northwind.eventing.admin.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The MongoDB client of the event store. Making it does not connect: admin-api starts whether the store is up or not. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StoreProperties.class)
class StoreConfig {
    private static final Logger log = LoggerFactory.getLogger(StoreConfig.class);

    @Bean(destroyMethod = "close")
    MongoClient storeMongoClient(StoreProperties properties) {
        ConnectionString uri = properties.connectionString();
        int selection = Math.toIntExact(properties.serverSelectionTimeout().toMillis());
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(uri)
                .applicationName("eventing-admin-api")
                // Short, so that a store that is down answers 503 quickly instead of holding request threads.
                .applyToClusterSettings(c -> c.serverSelectionTimeout(selection, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(selection, TimeUnit.MILLISECONDS))
                .build();
        // Hosts only: the connection string may carry a user and password.
        log.info(
                "Event store: MongoDB at {}, database {}, collection {}",
                uri.getHosts(),
                properties.database(),
                properties.collection());
        return MongoClients.create(settings);
    }
}
