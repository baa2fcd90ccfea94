package com.northwind.eventing.intake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class IntakePropertiesTest {
    @Test
    void shouldGiveTheFirehoseMinInsyncReplicasWhenSetInTheEnvironment() {
        // given
        Binder env = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("EVENTING_KAFKA_MININSYNCREPLICAS", "2", "EVENTING_FIREHOSE_REPLICATIONFACTOR", "3"))));

        // when
        IntakeProperties p = env.bind("eventing", IntakeProperties.class).get();

        // then
        assertThat(p.firehoseTopic().factor()).isEqualTo(3);
        assertThat(p.firehoseTopic().minInsyncReplicas()).isEqualTo(2);
        assertThat(p.registryTopics().minInsyncReplicas()).isEqualTo(2);
    }

    @Test
    void shouldRefuseStartWhenMinInsyncReplicasExceedsTheFirehosesReplication() {
        // given
        Binder config = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("EVENTING_KAFKA_MININSYNCREPLICAS", "2", "EVENTING_FIREHOSE_REPLICATIONFACTOR", "1"))));

        // when / then
        assertThatThrownBy(() -> config.bind("eventing", IntakeProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("eventing.kafka.min-insync-replicas (2) must not exceed"
                        + " eventing.firehose.replication-factor (1): Kafka would refuse every write to those topics");
    }

    @Test
    void shouldBindKafkaClientPropertiesWithDotsWhenSetInTheEnvironment() {
        // given the variables docker-compose and the Kubernetes manifests set
        Binder env = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                        "EVENTING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "EVENTING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                        "EVENTING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;"))));

        // when
        IntakeProperties p = env.bind("eventing", IntakeProperties.class).get();

        // then
        assertThat(p.kafka().properties())
                .isEqualTo(Map.of(
                        "security.protocol", "SASL_PLAINTEXT",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
    }
}
