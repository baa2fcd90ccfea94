package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.auth.RateLimiter;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish core: authenticates the app, checks its grant and rate limit, validates the event, builds the envelope
 * and hands it to the firehose. Knows no transport; REST and gRPC only translate to and from it.
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final AppDirectory apps;
    private final RateLimiter rateLimiter;
    private final EventValidator validator;
    private final Firehose firehose;
    private final Clock clock;
    private final PublishMetrics metrics;

    public Publisher(
            AppDirectory apps,
            RateLimiter rateLimiter,
            EventTypeCatalog types,
            Firehose firehose,
            Clock clock,
            PublishMetrics metrics) {
        this.apps = apps;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.validator = new EventValidator(types);
        this.firehose = firehose;
        this.clock = clock;
    }

    /**
     * The app holding the bearer token.
     *
     * @throws PublishException UNAUTHENTICATED when the token is missing or no app holds it
     */
    public App authenticate(String bearerToken) {
        return authenticate(credential(bearerToken));
    }

    /**
     * The bearer token, hashed once for {@link #authenticate(AppDirectory.Credential)}: for a caller that
     * authenticates the same token for every event.
     *
     * @throws PublishException UNAUTHENTICATED when the token is missing
     */
    public AppDirectory.Credential credential(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new PublishException(
                    PublishException.Kind.UNAUTHENTICATED,
                    "the Authorization header is missing; send Authorization: Bearer <app token>");
        }
        return apps.credential(bearerToken);
    }

    /**
     * The app holding the credential's token now.
     *
     * @throws PublishException UNAUTHENTICATED when no app holds it (any more)
     */
    public App authenticate(AppDirectory.Credential credential) {
        return apps.authenticate(credential)
                .orElseThrow(() -> new PublishException(
                        PublishException.Kind.UNAUTHENTICATED, "the app token is not valid or has been revoked"));
    }

    /**
     * Publishes one event for an authenticated app. Refusals (grant, rate, validation) are thrown at once, before
     * anything is written; the stage completes when Kafka acknowledged the event.
     */
    public CompletionStage<Receipt> publish(App app, PublishRequest request, String traceparent) {
        Instant receivedAt = clock.instant();
        try {
            return send(app, request, traceparent, receivedAt);
        } catch (PublishException e) {
            metrics.refused(e.kind());
            throw e;
        }
    }

    private CompletionStage<Receipt> send(App app, PublishRequest request, String traceparent, Instant receivedAt) {
        // The grant comes first: an app learns nothing about types it may not publish, not even whether they exist.
        EventTypeName named = nameOf(request);
        if (named != null && !app.mayPublish(named)) {
            throw new PublishException(
                    PublishException.Kind.FORBIDDEN,
                    "app " + app.id() + " may not publish " + named + "; its publish grants are " + app.publish());
        }
        EventValidator.Valid valid = validator.validate(request, named, receivedAt);
        Duration wait = rateLimiter.tryAcquire(app);
        if (wait != null) {
            throw new PublishException(
                    PublishException.Kind.RATE_LIMITED,
                    "app " + app.id() + " is over its rate limit; retry after " + wait.toMillis() + " ms",
                    List.of(),
                    wait);
        }
        Envelope envelope = envelope(app, request, valid, receivedAt);
        String key = request.key() != null ? request.key() : request.metadata().transactionId();
        CompletionStage<Receipt> sent;
        try {
            sent = firehose.send(key, envelope, traceparent);
        } catch (PublishException e) {
            metrics.refused(e.kind());
            return CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((receipt, error) -> {
            if (error == null) {
                metrics.published(Duration.between(receivedAt, clock.instant()));
                // Checked first: a call with three arguments builds their array and passes the metrics turbo filter
                // for every event, even with debug off.
                if (log.isDebugEnabled()) {
                    log.debug("Published {} {} for {}", envelope.getEventId(), envelope.getEventType(), app.id());
                }
            } else {
                metrics.refused(error instanceof PublishException p ? p.kind() : PublishException.Kind.UNAVAILABLE);
                log.warn(
                        "Not published: {} {} for {}: {}",
                        envelope.getEventId(),
                        envelope.getEventType(),
                        app.id(),
                        error.getMessage());
            }
        });
    }

    /** The event's type name, or null when it does not parse (validation then says why). */
    private static EventTypeName nameOf(PublishRequest r) {
        try {
            return new EventTypeName(r.noun(), r.verb(), r.object());
        } catch (ValidationException e) {
            return null;
        }
    }

    private static Envelope envelope(App app, PublishRequest r, EventValidator.Valid valid, Instant receivedAt) {
        PublishRequest.Metadata m = r.metadata();
        // The generated all-args constructors, not the builders: every field is set here, and a builder would check
        // each value against the schema again and copy defaults on every event.
        Metadata metadata = new Metadata(
                m.transactionId(),
                m.userId(),
                valid.occurredAt(),
                receivedAt,
                m.transactionType(),
                m.sourceSystem(),
                app.id());
        return new Envelope(
                UuidV7.next(receivedAt.toEpochMilli()).toString(),
                valid.name().noun(),
                valid.name().verb(),
                valid.name().object(),
                r.subObject(),
                valid.name().toString(),
                metadata,
                r.tags() == null ? List.of() : r.tags(),
                Boolean.TRUE.equals(r.synthetic()),
                valid.bodyJson(),
                valid.type().latest().version(),
                List.of());
    }
}
