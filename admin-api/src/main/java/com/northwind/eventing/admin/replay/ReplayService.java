package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.admin.security.Caller;
import com.northwind.eventing.common.model.ValidationException;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Replays: requested on {@code eventing.registry.replays}, run by {@link ReplayWorkers}, and answered with the state
 * that the worker's progress and the router's counts make together.
 *
 * <p>A replay is {@code DONE} when its worker has read the whole range (progress {@code DONE}) and the router has
 * counted every event the worker wrote: {@code delivered + skipped} on {@code eventing.replays.counts} reaches the
 * progress's {@code read}. The answer's {@code skipped} adds the worker's {@code unreplayable} to the router's.
 */
@Service
class ReplayService {
    static final int DEFAULT_RATE = 1000;
    static final int MAX_RATE = 50_000;
    private static final Pattern ID = Pattern.compile(Replay.ID_PREFIX + "[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    private static final Pattern SUBSCRIPTION_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,248}");

    enum State {
        RUNNING,
        DONE,
        FAILED,
        CANCELLED
    }

    private final ReplayViews views;
    private final ReplayWorkers workers;
    private final Clock clock;

    ReplayService(ReplayViews views, ReplayWorkers workers, Clock clock) {
        this.views = views;
        this.workers = workers;
        this.clock = clock;
    }

    /** Checks the request, records the replay, and queues its worker; answers its id. */
    String create(ReplayRequest request, Caller caller) {
        String subscription = request.subscription();
        if (subscription == null || subscription.isBlank()) {
            throw new ValidationException("/subscription", "subscription is required: the one the replay copies to");
        }
        // Another app's subscription is refused exactly as one that does not exist.
        if (!SUBSCRIPTION_ID.matcher(subscription).matches()
                || views.subscriptions
                        .get(subscription)
                        .filter(s -> caller.mayActFor(s.app()))
                        .isEmpty()) {
            throw new ValidationException(
                    "/subscription",
                    SUBSCRIPTION_ID.matcher(subscription).matches()
                            ? "subscription " + subscription + " does not exist"
                            : "no subscription has that id");
        }
        int rate = rate(request.ratePerSecond());
        ReplaySelection selection = ReplaySelection.of(request.from(), request.to(), request.filter(), clock);
        Replay replay = new Replay(
                Replay.ID_PREFIX + UUID.randomUUID(),
                subscription,
                selection.from(),
                selection.to(),
                selection.filter(),
                rate,
                clock.instant(),
                false,
                null);
        views.replays.write(replay.id(), replay);
        workers.submit(replay);
        return replay.id();
    }

    private static int rate(JsonNode rate) {
        if (rate == null || rate.isNull()) {
            return DEFAULT_RATE;
        }
        if (!rate.isNumber()) {
            throw new MalformedMemberException("/ratePerSecond", "must be a number");
        }
        if (!rate.isIntegralNumber()) {
            throw new ValidationException("/ratePerSecond", "must be a whole number from 1 to " + MAX_RATE);
        }
        if (!rate.canConvertToLong() || rate.longValue() < 1 || rate.longValue() > MAX_RATE) {
            throw new ValidationException("/ratePerSecond", "must be from 1 to " + MAX_RATE);
        }
        return rate.intValue();
    }

    Map<String, Object> get(String id, Caller caller) {
        return view(find(id, caller));
    }

    List<Map<String, Object>> list(Caller caller) {
        return views.replays.values().stream()
                .filter(r -> visible(r, caller))
                .sorted(Comparator.comparing(Replay::requestedAt)
                        .thenComparing(Replay::id)
                        .reversed())
                .map(this::view)
                .toList();
    }

    /** Marks the replay cancelled: its worker stops before its next batch. */
    synchronized Map<String, Object> cancel(String id, Caller caller) {
        Replay replay = find(id, caller);
        State state = state(replay);
        if (state != State.RUNNING) {
            throw new ConflictException(
                    "replay " + id + " is already " + state + "; only a RUNNING replay can be cancelled");
        }
        Replay cancelled = replay.cancel(clock.instant());
        views.replays.write(id, cancelled);
        return view(cancelled);
    }

    /**
     * Whether the caller may see the replay: the admin any, an app those of its own subscriptions (while they exist:
     * the owner of a deleted subscription's replay is no longer known).
     */
    private boolean visible(Replay replay, Caller caller) {
        return caller.isAdmin()
                || views.subscriptions
                        .get(replay.subscription())
                        .filter(s -> caller.mayActFor(s.app()))
                        .isPresent();
    }

    /** The replay; another app's is not found, with the answer of one that does not exist. */
    private Replay find(String id, Caller caller) {
        Optional<Replay> replay =
                ID.matcher(id).matches() ? views.replays.get(id).filter(r -> visible(r, caller)) : Optional.empty();
        return replay.orElseThrow(() -> new NotFoundException(
                ID.matcher(id).matches() ? "replay " + id + " does not exist" : "no replay has that id"));
    }

    private State state(Replay replay) {
        Optional<ReplayProgress> progress = views.progress.get(replay.id());
        if (progress.isPresent() && progress.get().phase() == ReplayProgress.Phase.FAILED) {
            return State.FAILED;
        }
        if (replay.cancelled()) {
            return State.CANCELLED;
        }
        if (progress.isPresent() && progress.get().phase() == ReplayProgress.Phase.DONE) {
            ReplayCounts counts = views.counts.get(replay.id()).orElse(new ReplayCounts(replay.id(), 0, 0));
            if (counts.delivered() + counts.skipped() >= progress.get().read()) {
                return State.DONE;
            }
        }
        return State.RUNNING;
    }

    private Map<String, Object> view(Replay replay) {
        ReplayProgress progress = views.progress.get(replay.id()).orElse(null);
        ReplayCounts counts = views.counts.get(replay.id()).orElse(new ReplayCounts(replay.id(), 0, 0));
        State state = state(replay);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", replay.id());
        v.put("subscription", replay.subscription());
        v.put("from", replay.from().toString());
        v.put("to", replay.to().toString());
        v.put("filter", replay.filter());
        v.put("ratePerSecond", replay.ratePerSecond());
        v.put("requestedAt", replay.requestedAt().toString());
        v.put("state", state.name());
        v.put("read", progress == null ? 0 : progress.read());
        v.put("delivered", counts.delivered());
        v.put("skipped", counts.skipped() + (progress == null ? 0 : progress.unreplayable()));
        if (state == State.FAILED) {
            v.put("error", progress.error());
        }
        if (state == State.CANCELLED && replay.cancelledAt() != null) {
            v.put("finishedAt", replay.cancelledAt().toString());
        } else if ((state == State.FAILED || state == State.DONE) && progress.finishedAt() != null) {
            v.put("finishedAt", progress.finishedAt().toString());
        }
        return v;
    }
}
