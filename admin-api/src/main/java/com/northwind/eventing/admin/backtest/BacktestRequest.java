package com.northwind.eventing.admin.backtest;

import com.northwind.eventing.admin.subscription.SubscriptionRequest;
import java.time.Instant;

/**
 * The body of {@code POST /v1/subscriptions/backtest}.
 *
 * @param subscription the draft: the body of {@code POST /v1/subscriptions}, its id and topic optional
 * @param from the range's start on the events' receivedAt, inclusive; required
 * @param to the range's end, exclusive; now when absent
 * @param samples how many matched events to answer as the app would see them: 0 to 50, 10 when absent
 */
record BacktestRequest(SubscriptionRequest subscription, Instant from, Instant to, Integer samples) {}
