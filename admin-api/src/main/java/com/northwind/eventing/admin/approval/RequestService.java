package com.northwind.eventing.admin.approval;

import com.northwind.eventing.admin.app.AppService;
import com.northwind.eventing.admin.app.AppView;
import com.northwind.eventing.admin.approval.ChangeRequest.Result;
import com.northwind.eventing.admin.approval.ChangeRequest.State;
import com.northwind.eventing.admin.audit.AuditLog;
import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.admin.security.Caller;
import com.northwind.eventing.admin.subscription.SubscriptionRequest;
import com.northwind.eventing.admin.subscription.SubscriptionService;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.model.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Requests for changes that wait for an admin ({@link ChangeRequest}), kept on {@value ChangeRequest#TOPIC}. An
 * approval applies the change through the very service the direct route uses, so a request is checked and applied
 * exactly as the change would be. Every change of state happens under this service's lock and only from PENDING, so
 * that two decisions racing apply once.
 */
@Service
@EnableConfigurationProperties(ApprovalProperties.class)
public class RequestService implements DisposableBean {
    /** Most publish patterns, and most read clearances, one grant request may ask for. */
    static final int MAX_ENTRIES = 100;
    /** Longest publish pattern or read clearance asked for; longer is no pattern or clearance of this platform. */
    static final int MAX_ENTRY_LENGTH = 256;
    /** Longest reason or decision note. */
    static final int MAX_TEXT = 2000;

    static final Pattern ID = Pattern.compile("req_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A request's place in the order pages are cut in (newest first, then by id): what a list's cursor names. */
    record Position(Instant requestedAt, String id) {
        static final Comparator<Position> NEWEST_FIRST = Comparator.comparing(Position::requestedAt)
                .thenComparing(Position::id)
                .reversed();

        static Position of(ChangeRequest r) {
            return new Position(r.requestedAt(), r.id());
        }
    }

    /** Newest first, then by id, the order pages are cut in. */
    static final Comparator<ChangeRequest> NEWEST_FIRST = Comparator.comparing(Position::of, Position.NEWEST_FIRST);

    private static final Logger log = LoggerFactory.getLogger(RequestService.class);
    /** The audit log's action for each decision. */
    private static final Map<State, String> DECISIONS =
            Map.of(State.APPROVED, "approve", State.REJECTED, "reject", State.WITHDRAWN, "withdraw");

    private final CompactedTopic<ChangeRequest> topic;
    private final SubscriptionService subscriptions;
    private final AppService apps;
    private final ApprovalProperties properties;
    private final Clock clock;

    private final AuditLog audit;

    RequestService(
            RegistryTopicFactory topics,
            SubscriptionService subscriptions,
            AppService apps,
            ApprovalProperties properties,
            Clock clock,
            AuditLog audit) {
        this.audit = audit;
        this.subscriptions = subscriptions;
        this.apps = apps;
        this.properties = properties;
        this.clock = clock;
        this.topic = topics.open(ChangeRequest.TOPIC, ChangeRequest.class);
    }

    /** Whether this caller's {@code POST /v1/subscriptions} files a request rather than creating the subscription. */
    public boolean subscriptionNeedsApproval(Caller caller) {
        return properties.subscriptions() && caller.kind() == Caller.Kind.APP;
    }

    /**
     * Files a request for a subscription, checked first exactly as creating it is (every 422 and 409 of {@code POST
     * /v1/subscriptions}): nothing is recorded for a subscription that could not be created now.
     */
    public synchronized ChangeRequest requestSubscription(SubscriptionRequest body, Caller caller) {
        Subscription s = subscriptions.checkNew(body).subscription();
        pending(r -> ChangeRequest.SUBSCRIPTION.equals(r.kind())
                        && r.subscription().id().equals(s.id()))
                .findFirst()
                .ifPresent(r -> {
                    throw new ConflictException(
                            "request " + r.id() + " asks for subscription " + s.id() + " already and is pending");
                });
        return file(
                new ChangeRequest(
                        newId(),
                        ChangeRequest.SUBSCRIPTION,
                        s.app(),
                        State.PENDING,
                        clock.instant(),
                        caller.name(),
                        body,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                caller);
    }

    /**
     * Files a request for more grants: publish patterns and read clearances the app does not have. Each is checked by
     * the app model's own rules, as {@code PUT /v1/apps/{id}} checks it; a request for nothing, or only for what the
     * app has, is a 422.
     *
     * @param appId the app the grants are for; absent for the calling app itself
     */
    synchronized ChangeRequest requestGrant(
            String kind, String appId, List<String> publish, List<String> read, String reason, Caller caller) {
        Violations v = new Violations();
        if (!ChangeRequest.GRANT.equals(kind)) {
            v.add(
                    "/kind",
                    kind == null
                            ? "kind is required: grant (a subscription is asked for with POST /v1/subscriptions)"
                            : "kind must be grant (a subscription is asked for with POST /v1/subscriptions)");
        }
        String forApp = appId != null ? appId : caller.appId();
        if (forApp == null) {
            v.add("/app", "app is required: the admin files a grant request for an app");
        }
        bounded(v, "/publish", publish);
        bounded(v, "/read", read);
        if (reason != null && reason.length() > MAX_TEXT) {
            v.add("/reason", "reason must be at most " + MAX_TEXT + " characters");
        }
        v.throwIfAny();
        caller.requireMayActFor(forApp, "request grants");
        App current = apps.find(forApp)
                .orElseThrow(() -> new ValidationException("/app", "app " + forApp + " is not registered"));
        // The app model's rules, each entry reported under its index in this request.
        new App(current.id(), current.team(), publish, read, List.of(), null, current.createdAt(), clock.instant());
        List<String> newPublish = missing(current.publish(), publish);
        List<String> newRead = missing(current.read(), read);
        if (newPublish.isEmpty() && newRead.isEmpty()) {
            throw new ValidationException(
                    "",
                    isEmpty(publish) && isEmpty(read)
                            ? "a grant request asks for at least one publish pattern or read clearance"
                            : "app " + forApp + " has every grant this request asks for already");
        }
        return file(
                new ChangeRequest(
                        newId(),
                        ChangeRequest.GRANT,
                        forApp,
                        State.PENDING,
                        clock.instant(),
                        caller.name(),
                        null,
                        newPublish,
                        newRead,
                        reason,
                        null,
                        null,
                        null,
                        null),
                caller);
    }

    private ChangeRequest file(ChangeRequest r, Caller caller) {
        long waiting = pending(o -> o.app().equals(r.app())).count();
        if (waiting >= properties.maxPendingPerApp()) {
            throw new ConflictException("app " + r.app() + " has " + waiting
                    + " pending requests, the most allowed; withdraw one or wait for a decision");
        }
        topic.write(r.id(), r);
        recorded(caller, "requested", r);
        audit.record("create", "request", r.id(), null, r);
        return r;
    }

    /** The caller's requests (the admin's: everyone's) in the state and of the app given, newest first. */
    List<ChangeRequest> list(State state, String app, Caller caller) {
        return topic.values().stream()
                .filter(r -> caller.mayActFor(r.app()))
                .filter(r -> state == null || r.state() == state)
                .filter(r -> app == null || r.app().equals(app))
                .sorted(NEWEST_FIRST)
                .toList();
    }

    /**
     * The request as this caller may see it: another app's is not found, with the very answer of one that does not
     * exist.
     */
    ChangeRequest visible(String id, Caller caller) {
        ChangeRequest r = ID.matcher(id).matches() ? topic.get(id).orElse(null) : null;
        if (r == null || !caller.mayActFor(r.app())) {
            throw new NotFoundException(
                    ID.matcher(id).matches()
                            ? "request " + id + " does not exist"
                            : "no request has this id; request ids look like req_<uuid>");
        }
        return r;
    }

    /**
     * Applies the change and records the request APPROVED. When the change no longer holds (its app's grants or the
     * event types changed meanwhile), the 422 names the member under the request's ({@code /subscription/...},
     * {@code /app}) and the request stays pending.
     */
    synchronized ChangeRequest approve(String id, String note, Caller caller) {
        checkNote(note, false);
        ChangeRequest r = stillPending(id, caller, "approved");
        Result result;
        if (ChangeRequest.SUBSCRIPTION.equals(r.kind())) {
            Subscription s;
            try {
                s = subscriptions.create(r.subscription());
            } catch (ValidationException e) {
                throw new ValidationException(e.violations().stream()
                        .map(x -> new Violation("/subscription" + x.pointer(), x.detail()))
                        .toList());
            }
            result = new Result(s.id(), s.topic(), null, null);
            recorded(caller, "subscription created", r);
            audit.record("create", "subscription", s.id(), null, s);
        } else {
            App before = apps.find(r.app()).orElse(null);
            App after = apps.addGrants(r.app(), r.publish(), r.read());
            result = new Result(
                    null,
                    null,
                    missing(before == null ? List.of() : before.publish(), after.publish()),
                    missing(before == null ? List.of() : before.read(), after.read()));
            recorded(caller, "grants added", r);
            audit.record("update", "app", r.app(), before == null ? null : AppView.of(before), AppView.of(after));
        }
        return decide(r, State.APPROVED, note, result, caller);
    }

    synchronized ChangeRequest reject(String id, String note, Caller caller) {
        checkNote(note, true);
        return decide(stillPending(id, caller, "rejected"), State.REJECTED, note, null, caller);
    }

    /** Withdraws the request: its app's or the admin's to do. */
    synchronized ChangeRequest withdraw(String id, Caller caller) {
        return decide(stillPending(id, caller, "withdrawn"), State.WITHDRAWN, null, null, caller);
    }

    private ChangeRequest decide(ChangeRequest r, State to, String note, Result result, Caller caller) {
        ChangeRequest decided = r.decided(to, clock.instant(), caller.name(), note, result);
        topic.write(decided.id(), decided);
        recorded(caller, to.name().toLowerCase(Locale.ROOT), decided);
        audit.record(DECISIONS.get(to), "request", decided.id(), r, decided);
        return decided;
    }

    private ChangeRequest stillPending(String id, Caller caller, String toBe) {
        ChangeRequest r = visible(id, caller);
        if (r.state() != State.PENDING) {
            throw new ConflictException(
                    "request " + id + " is " + r.state() + " already; only a PENDING request can be " + toBe);
        }
        return r;
    }

    private static void checkNote(String note, boolean required) {
        if (required && (note == null || note.isBlank())) {
            throw new ValidationException("/note", "note is required: say why the request is rejected");
        }
        if (note != null && note.length() > MAX_TEXT) {
            throw new ValidationException("/note", "note must be at most " + MAX_TEXT + " characters");
        }
    }

    /**
     * Where each change of a request is reported: who did what to which request. Ids, kinds and caller names only;
     * a subscription's filter may hold member data and is never logged.
     */
    private static void recorded(Caller caller, String action, ChangeRequest r) {
        log.info("Request {} ({} for app {}): {} by {}", r.id(), r.kind(), r.app(), action, caller.name());
    }

    private Stream<ChangeRequest> pending(Predicate<ChangeRequest> which) {
        return topic.values().stream().filter(r -> r.state() == State.PENDING).filter(which);
    }

    private static void bounded(Violations v, String pointer, List<String> entries) {
        if (entries == null) {
            return;
        }
        if (entries.size() > MAX_ENTRIES) {
            v.add(pointer, "at most " + MAX_ENTRIES + " entries, not " + entries.size());
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i);
            if (e != null && e.length() > MAX_ENTRY_LENGTH) {
                v.add(pointer + "/" + i, "at most " + MAX_ENTRY_LENGTH + " characters");
            }
        }
    }

    /** The entries of {@code asked} not in {@code held}, each once, in the order asked. */
    private static List<String> missing(List<String> held, List<String> asked) {
        if (asked == null) {
            return List.of();
        }
        LinkedHashSet<String> m = new LinkedHashSet<>(asked);
        m.removeAll(held);
        return new ArrayList<>(m);
    }

    private static boolean isEmpty(List<String> l) {
        return l == null || l.isEmpty();
    }

    private static String newId() {
        return "req_" + UUID.randomUUID();
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
