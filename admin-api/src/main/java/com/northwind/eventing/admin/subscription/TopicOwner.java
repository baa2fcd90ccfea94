package com.northwind.eventing.admin.subscription;

import java.time.Instant;

/**
 * Which app a subscription topic belongs to: the value of a record on {@link #TOPIC}, keyed by the topic's name.
 * Written when admin-api creates (or takes again) a topic for a subscription, and kept after the subscription is
 * deleted, for as long as its topic is kept, so that the topic is handed to no other app. Deleting the subscription
 * with its topic deletes this record too; deleting the app retires it ({@link #retired}).
 *
 * @param subscription the subscription that last had the topic
 * @param since when the topic was created or taken again for that subscription
 */
record TopicOwner(String topic, String app, String subscription, Instant since) {
    /** The compacted registry topic that holds who owns each subscription topic. */
    static final String TOPIC = "eventing.registry.topic-owners";

    /**
     * The owner a kept topic gets when its app is deleted: no app id can be it (ids start with a letter), so no app,
     * not even one registered again under the deleted id, can take the topic and read the copies made for the old one.
     */
    static String retired(String appId) {
        return "(deleted) " + appId;
    }
}
