package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.filter.ContentFilter;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.SyntheticPolicy;
import com.northwind.eventing.common.model.TagFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {
    private static final String TYPE = "Claim.Submitted.Reconsideration";

    @Test
    void shouldFindExactSubscriptionsByNameWhenTheyNameTheType() {
        SubscriptionIndex index =
                new SubscriptionIndex(List.of(sub("b", TYPE), sub("a", TYPE), sub("c", "Member.Moved.Address")));

        assertThat(ids(index, TYPE)).containsExactly("a", "b");
        assertThat(ids(index, "Member.Moved.Address")).containsExactly("c");
    }

    @Test
    void shouldTryPatternsWhenSubscriptionsUseWildcards() {
        SubscriptionIndex index = new SubscriptionIndex(
                List.of(sub("claims", "Claim.*.*"), sub("submitted", "*.Submitted.*"), sub("members", "Member.*.*")));

        assertThat(ids(index, TYPE)).containsExactly("claims", "submitted");
        assertThat(ids(index, "Member.Moved.Address")).containsExactly("members");
    }

    @Test
    void shouldGiveEachSubscriptionOnceByIdWhenExactNamesAndPatternsBothMatch() {
        SubscriptionIndex index = new SubscriptionIndex(List.of(
                sub("z-exact", TYPE),
                sub("both", TYPE, "Claim.*.*"),
                sub("a-pattern", "Claim.Submitted.*"),
                sub("twice", TYPE, TYPE)));

        assertThat(ids(index, TYPE)).containsExactly("a-pattern", "both", "twice", "z-exact");
    }

    @Test
    void shouldFindNoneWhenNoSubscriptionWantsTheType() {
        SubscriptionIndex index = new SubscriptionIndex(List.of(sub("a", TYPE), sub("b", "Member.*.*")));

        assertThat(ids(index, "Provider.Joined.Network")).isEmpty();
        assertThat(ids(new SubscriptionIndex(List.of()), TYPE)).isEmpty();
    }

    @Test
    void shouldDropADeletedSubscriptionWhenTheViewIsCompiledAgain() {
        RegistryViews views = new RegistryViews();
        for (RegistryViews.Table t : RegistryViews.Table.values()) {
            views.opened(t, true);
        }
        views.changed(RegistryViews.Table.SUBSCRIPTIONS, "a", json("a", TYPE));
        views.changed(RegistryViews.Table.SUBSCRIPTIONS, "b", json("b", "Claim.*.*"));
        views.publish();
        RegistryView before = views.current();

        views.changed(RegistryViews.Table.SUBSCRIPTIONS, "a", null);
        views.changed(RegistryViews.Table.SUBSCRIPTIONS, "b", null);
        views.publish();

        assertThat(before.subscriptions(TYPE, EventTypeName.parse(TYPE)))
                .extracting(s -> s.subscription().id())
                .containsExactly("a", "b");
        assertThat(views.current().subscriptions(TYPE, EventTypeName.parse(TYPE)))
                .isEmpty();
        assertThat(views.current().subscriptionCount()).isZero();
    }

    private static List<String> ids(SubscriptionIndex index, String type) {
        List<String> ids = new ArrayList<>();
        index.matching(type, EventTypeName.parse(type))
                .forEach(s -> ids.add(s.subscription().id()));
        return ids;
    }

    private static RegistryView.CompiledSubscription sub(String id, String... types) {
        Subscription s = subscription(id, types);
        return new RegistryView.CompiledSubscription(
                s,
                s.typePatterns(),
                ContentFilter.parse(null),
                new RegistryView.HiddenReads(List.of()),
                new RecordHeader("eventing-subscription", id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Subscription subscription(String id, String... types) {
        return new Subscription(
                id,
                "app",
                List.of(types),
                TagFilter.NONE,
                SyntheticPolicy.INCLUDE,
                null,
                List.of(),
                "eventing.sub." + id,
                1,
                Instant.EPOCH);
    }

    private static byte[] json(String id, String... types) {
        return com.northwind.eventing.common.model.RegistryTopics.JSON.writeValueAsBytes(subscription(id, types));
    }
}
