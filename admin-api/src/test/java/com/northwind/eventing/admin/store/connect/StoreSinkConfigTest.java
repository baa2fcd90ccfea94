package com.northwind.eventing.admin.store.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class StoreSinkConfigTest {
    @Test
    void shouldUseTheStoreUriDatabaseAndCollectionWhenTheSinkNamesNone() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("eventing.store.uri", "mongodb://store.internal:27017")
                .withProperty("eventing.store.database", "claims")
                .withProperty("eventing.store.collection", "stored");

        StoreSinkConfig sink = StoreSinkConfig.of(properties(null), environment);

        assertThat(sink.config())
                .containsEntry("connection.uri", "mongodb://store.internal:27017")
                .containsEntry("database", "claims")
                .containsEntry("collection", "stored")
                .containsEntry("topics", "eventing.store,eventing.ledger")
                .containsEntry("topic.override.eventing.ledger.collection", "deliveries")
                .containsEntry("errors.deadletterqueue.topic.name", "eventing.store.deadletter")
                .containsEntry("mongo.errors.tolerance", "data")
                .containsEntry("errors.log.enable", "false")
                .containsEntry("mongo.errors.log.enable", "false");
    }

    @Test
    void shouldLogNoCredentialsWhenTheConnectionStringHasThem() {
        MockEnvironment environment = new MockEnvironment();

        StoreSinkConfig sink = StoreSinkConfig.of(
                properties("mongodb://sink:s3cret-pw@mongo-a:27017,mongo-b:27017/?authSource=admin"), environment);

        assertThat(sink.config().get("connection.uri"))
                .isEqualTo("mongodb://sink:s3cret-pw@mongo-a:27017,mongo-b:27017/?authSource=admin");
        assertThat(sink.loggable()).containsEntry("connection.uri", "mongodb://***@mongo-a:27017,mongo-b:27017/...");
        assertThat(sink.loggable().toString()).doesNotContain("s3cret-pw").doesNotContain("sink:");
    }

    @Test
    void shouldRefuseAConnectionStringWithoutQuotingItWhenItIsNotOne() {
        assertThatThrownBy(() -> properties("postgres://user:s3cret-pw@db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.store.connect.connection-uri is not a MongoDB connection string"
                        + " (mongodb://host:port or mongodb+srv://...)");
    }

    @Test
    void shouldRefuseAConnectUrlWithCredentialsWhenGivenOne() {
        assertThatThrownBy(() -> new StoreConnectProperties(
                        URI.create("http://admin:pw@connect:8083"), null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("eventing.store.connect.url must be an http(s) URL");
    }

    @Test
    void shouldRefuseAConnectorNameWhenItWouldChangeTheRestPath() {
        assertThatThrownBy(() -> new StoreConnectProperties(
                        URI.create("http://connect:8083"), "../connectors", null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("eventing.store.connect.connector-name must be");
    }

    private static StoreConnectProperties properties(String connectionUri) {
        return new StoreConnectProperties(
                URI.create("http://127.0.0.1:8083"), null, connectionUri, null, null, null, null);
    }
}
