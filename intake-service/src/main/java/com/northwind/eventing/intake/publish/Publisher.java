package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.json.JsonLimits;
import com.northwind.eventing.common.jsonschema.JsonSchemas;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.tracing.Tracing;
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
 * The publish core: authenticates the app, then checks its grant and its rate limit, then validates the event (names,
 * metadata, tags, the body against its type's JSON Schema, bounded in time), builds the envelope and hands it to the
 * firehose. The rate limit comes before validation, so that what a producer can make the intake check is bounded by
 * its rate, and refused events spend it too. Nothing is published while the intake's view of the registry is not
 * current. Knows no transport; REST and gRPC only translate to and from it, and read requests with its
 * {@link #requests()}.
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    /** How long a client should wait before trying again while the registry view is not current. */
    static final Duration STALE_RETRY_AFTER = Duration.ofSeconds(5);

    private final AppDirectory apps;
    private final RateLimiter rateLimiter;
    private final EventValidator validator;
    private final Firehose firehose;
    private final Clock clock;
    private final PublishMetrics metrics;
    private final RequestReader requests;
    private final RegistryFreshness registry;
    private final Tracing tracing;

    /** A publisher that makes no spans. */
    public Publisher(
            AppDirectory apps,
            RateLimiter rateLimiter,
            EventTypeCatalog types,
            Firehose firehose,
            Clock clock,
            PublishMetrics metrics,
            Limits limits,
            RegistryFreshness registry) {
        this(apps, rateLimiter, types, firehose, clock, metrics, limits, registry, Tracing.off());
    }

    /**
     * @param limits what a request may hold and how long its validation may take
     * @param registry whether the views of apps and event types are current
     * @param tracing where the publish and firehose-write spans go, when on
     */
    public Publisher(
            AppDirectory apps,
            RateLimiter rateLimiter,
            EventTypeCatalog types,
            Firehose firehose,
            Clock clock,
            PublishMetrics metrics,
            Limits limits,
            RegistryFreshness registry,
            Tracing tracing) {
        this.apps = apps;
        this.tracing = tracing;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.validator = new EventValidator(types, limits.maxValidationTime());
        this.firehose = firehose;
        this.clock = clock;
        this.requests = new RequestReader(limits.json());
        this.registry = registry;
    }

    /**
     * What a request may hold and how long checking an event may take.
     *
     * @param json the bounds on numbers and nesting
     * @param maxValidationTime how long checking one event against its JSON Schema may take
     */
    public record Limits(JsonLimits json, Duration maxValidationTime) {
        public static final Limits DEFAULT = new Limits(JsonLimits.DEFAULT, JsonSchemas.DEFAULT_TIME_LIMIT);
    }

    /** How requests are read, by every transport. */
    public RequestReader requests() {
        return requests;
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
     * Publishes one event for an authenticated app. Refusals (registry view not current, grant, rate, validation) are
     * thrown at once, before anything is written; the stage completes when Kafka acknowledged the event.
     */
    public CompletionStage<Receipt> publish(App app, PublishRequest request, String traceparent) {
        Instant receivedAt = clock.instant();
        // Checked once here: while tracing is off, no span is made and the caller's traceparent goes on as it came.
        PublishSpans spans =
                tracing.isEnabled() ? PublishSpans.start(tracing, app, traceparent, firehose.topic()) : null;
        try {
            return send(app, request, traceparent, receivedAt, spans);
        } catch (PublishException e) {
            metrics.refused(e.kind(), app.id(), typeName(request));
            if (spans != null) {
                spans.failed(e);
            }
            throw e;
        } catch (RuntimeException e) {
            metrics.failed(app.id(), typeName(request));
            if (spans != null) {
                spans.failed(e);
            }
            throw e;
        }
    }

    private CompletionStage<Receipt> send(
            App app, PublishRequest request, String traceparent, Instant receivedAt, PublishSpans spans) {
        if (!registry.isCurrent(receivedAt.toEpochMilli())) {
            throw new PublishException(
                    PublishException.Kind.UNAVAILABLE,
                    "the intake's view of the registry is not current, so it cannot tell a valid token from a revoked"
                            + " one; retry later",
                    List.of(),
                    STALE_RETRY_AFTER);
        }
        // The grant comes first: an app learns nothing about types it may not publish, not even whether they exist.
        EventTypeName named = nameOf(request);
        if (named != null && !app.mayPublish(named)) {
            throw new PublishException(
                    PublishException.Kind.FORBIDDEN,
                    "app " + app.id() + " may not publish " + named + "; its publish grants are " + app.publish());
        }
        Duration wait = rateLimiter.tryAcquire(app);
        if (wait != null) {
            throw new PublishException(
                    PublishException.Kind.RATE_LIMITED,
                    "app " + app.id() + " is over its rate limit; retry after " + wait.toMillis() + " ms",
                    List.of(),
                    wait);
        }
        EventValidator.Valid valid = validator.validate(request, named, receivedAt);
        Envelope envelope = envelope(app, request, valid, receivedAt);
        String key = request.key() != null ? request.key() : request.metadata().transactionId();
        CompletionStage<Receipt> sent;
        try {
            sent = firehose.send(key, envelope, spans == null ? traceparent : spans.sending(envelope));
        } catch (PublishException e) {
            metrics.refused(e.kind(), app.id(), envelope.getEventType());
            if (spans != null) {
                spans.acknowledged(null, e);
            }
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            metrics.failed(app.id(), envelope.getEventType());
            if (spans != null) {
                spans.acknowledged(null, e);
            }
            return CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((receipt, error) -> {
            if (spans != null) {
                spans.acknowledged(receipt, error);
            }
            if (error == null) {
                metrics.published(Duration.between(receivedAt, clock.instant()), app.id(), envelope.getEventType());
                // Checked first: a call with three arguments builds their array and passes the metrics turbo filter
                // for every event, even with debug off.
                if (log.isDebugEnabled()) {
                    log.debug("Published {} {} for {}", envelope.getEventId(), envelope.getEventType(), app.id());
                }
            } else if (error instanceof PublishException p) {
                metrics.refused(p.kind(), app.id(), envelope.getEventType());
                log.warn(
                        "Not published: {} {} for {}: {}",
                        envelope.getEventId(),
                        envelope.getEventType(),
                        app.id(),
                        error.getMessage());
            } else {
                // A failure nobody expected: the transport answers it and logs its cause under a correlation id.
                metrics.failed(app.id(), envelope.getEventType());
                log.warn(
                        "Not published: {} {} for {}: an unexpected {}",
                        envelope.getEventId(),
                        envelope.getEventType(),
                        app.id(),
                        error.getClass().getName());
            }
        });
    }

    /** The event's type name for the meters, or null when it does not parse. */
    private static String typeName(PublishRequest r) {
        EventTypeName named = nameOf(r);
        return named == null ? null : named.toString();
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
