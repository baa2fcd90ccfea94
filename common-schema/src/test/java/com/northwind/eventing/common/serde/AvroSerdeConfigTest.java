package com.northwind.eventing.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void shouldNameValueSubjectAfterTopicWhenSerializingValues() {
        String subject = AvroSerdeConfig.subject("eventing.events", false);

        assertThat(subject).isEqualTo("eventing.events-value");
    }

    @Test
    void shouldNameKeySubjectAfterTopicWhenSerializingKeys() {
        String subject = AvroSerdeConfig.subject("eventing.events", true);

        assertThat(subject).isEqualTo("eventing.events-key");
    }

    @Test
    void shouldRefuseConfigWhenRegistryUrlIsMissing() {
        Map<String, Object> configs = Map.of();

        ConfigException thrown = catchThrowableOfType(ConfigException.class, () -> AvroSerdeConfig.client(configs));

        assertThat(thrown)
                .hasMessage(
                        "Invalid value null for configuration schema.registry.url: the schema registry URL is required");
    }

    @Test
    void shouldRefuseConfigWhenRegistryUrlIsBlank() {
        Map<String, Object> configs = Map.of("schema.registry.url", " ");

        ConfigException thrown = catchThrowableOfType(ConfigException.class, () -> AvroSerdeConfig.client(configs));

        assertThat(thrown)
                .hasMessage(
                        "Invalid value   for configuration schema.registry.url: the schema registry URL is required");
    }

    @Test
    void shouldBuildRestClientWhenRegistryUrlIsGiven() {
        Map<String, Object> configs =
                Map.of("schema.registry.url", "http://registry:8081", "bearer.auth.token", "s3cret");

        SchemaRegistryClient client = AvroSerdeConfig.client(configs);

        assertThat(client).isInstanceOf(RestSchemaRegistryClient.class);
    }

    @Test
    void shouldReadFlagWhenItIsAStringOrABoolean() {
        Map<String, Object> configs = Map.of("auto.register.schemas", "false", "specific.avro.reader", true);

        boolean autoRegister = AvroSerdeConfig.flag(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        boolean specific = AvroSerdeConfig.flag(configs, AvroSerdeConfig.SPECIFIC_AVRO_READER, false);

        assertThat(autoRegister).isFalse();
        assertThat(specific).isTrue();
    }

    @Test
    void shouldUseDefaultWhenFlagIsAbsent() {
        Map<String, Object> configs = Map.of();

        boolean autoRegister = AvroSerdeConfig.flag(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);

        assertThat(autoRegister).isTrue();
    }

    @Test
    void shouldSendBearerTokenWhenSourceIsStaticToken() {
        Map<String, Object> configs =
                Map.of("bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "s3cret");

        String authorization = AvroSerdeConfig.authorization(configs);

        assertThat(authorization).isEqualTo("Bearer s3cret");
    }

    @Test
    void shouldSendBasicUserInfoWhenSourceIsUserInfo() {
        Map<String, Object> configs =
                Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "svc:s3cret");

        String authorization = AvroSerdeConfig.authorization(configs);

        assertThat(authorization).isEqualTo("Basic c3ZjOnMzY3JldA==");
    }

    @Test
    void shouldRefuseConfigWhenUserInfoIsGivenWithoutItsSource() {
        Map<String, Object> configs = Map.of("basic.auth.user.info", "svc:s3cret");

        ConfigException thrown =
                catchThrowableOfType(ConfigException.class, () -> AvroSerdeConfig.authorization(configs));

        assertThat(thrown)
                .hasMessage("Invalid value null for configuration basic.auth.credentials.source: set it to USER_INFO to"
                        + " send basic.auth.user.info");
    }

    @Test
    void shouldRefuseConfigWhenBearerSourceIsNotSupported() {
        Map<String, Object> configs = Map.of("bearer.auth.credentials.source", "OAUTHBEARER");

        ConfigException thrown =
                catchThrowableOfType(ConfigException.class, () -> AvroSerdeConfig.authorization(configs));

        assertThat(thrown)
                .hasMessage("Invalid value OAUTHBEARER for configuration bearer.auth.credentials.source: only"
                        + " STATIC_TOKEN is supported");
    }

    @Test
    void shouldSendNoCredentialWhenNoneIsConfigured() {
        Map<String, Object> configs = Map.of("schema.registry.url", "http://registry:8081");

        String authorization = AvroSerdeConfig.authorization(configs);

        assertThat(authorization).isNull();
    }
}
