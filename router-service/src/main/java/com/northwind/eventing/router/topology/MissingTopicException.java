package com.northwind.eventing.router.topology;

import org.apache.kafka.common.KafkaException;

/**
 * A subscription's topic does not exist (deleted while its subscription is still registered). Not retriable: no copy
 * for that subscription can be written until someone creates the topic again or deletes the subscription.
 */
final class MissingTopicException extends KafkaException {
    private static final long serialVersionUID = 1L;

    MissingTopicException(String message) {
        super(message);
    }
}
