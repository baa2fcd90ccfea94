package com.northwind.eventing.admin.kafkasecurity;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.common.kafka.RegistryUnavailableException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateAclsResult;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * An app's access to Kafka: its SCRAM-SHA-512 user {@code app-<appId>}, and ACLs that let it read its subscriptions'
 * topics with consumer groups named {@code <appId>.*} and nothing else. Deny by default is the broker's
 * ({@code allow.everyone.if.no.acl.found=false}); this class only ever allows.
 *
 * <p>Callers order the calls so that Kafka never grants more than the registry records: grants after the registry
 * record is written, revocations before it is removed. Every call waits for Kafka's answer and fails with
 * {@link RegistryUnavailableException} (503) when it does not come or is a refusal.
 */
@Service
@EnableConfigurationProperties(AppCredentialsProperties.class)
public class AppKafkaAccess {
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** App users are named apart from the platform's own ({@code svc-*}), so no app id can take a service's name. */
    public static final String USER_PREFIX = "app-";
    /** Subscription topics the router may write through its own prefixed ACL, granted once with its principal. */
    static final String SUBSCRIPTION_TOPIC_PREFIX = "eventing.sub.";

    private static final Logger log = LoggerFactory.getLogger(AppKafkaAccess.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Admin admin;
    private final AppCredentialsProperties properties;
    private final Duration timeout;

    AppKafkaAccess(Admin admin, AppCredentialsProperties properties, AdminProperties adminProperties) {
        this.admin = admin;
        this.properties = properties;
        this.timeout = adminProperties.registry().writeTimeout();
    }

    /** An app's Kafka login, answered once when it is made; admin-api keeps no copy of the password. */
    public record KafkaLogin(String username, String password, String mechanism) {
        @Override
        public String toString() {
            return "KafkaLogin[username=" + username + ", mechanism=" + mechanism + "]";
        }
    }

    public boolean enabled() {
        return properties.enabled();
    }

    public static String username(String appId) {
        return USER_PREFIX + appId;
    }

    /** The prefix of the consumer groups an app may use: app ids hold no '.', so no app's prefix covers another's. */
    public static String groupPrefix(String appId) {
        return appId + ".";
    }

    /** Refuses a credentials call on a platform whose Kafka has none to give. */
    public void requireEnabled() {
        if (!enabled()) {
            throw new ConflictException("Kafka credentials are off on this platform"
                    + " (eventing.kafka.app-credentials.enabled=false): apps reach Kafka as the platform configures");
        }
    }

    /**
     * Makes the app's SCRAM user, or gives it a new password: the old one stops working once the broker has applied
     * the change (milliseconds on KRaft).
     */
    public KafkaLogin issue(String appId) {
        String username = username(appId);
        String password = newPassword();
        UserScramCredentialUpsertion upsert = new UserScramCredentialUpsertion(
                username, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, properties.iterations()), password);
        await(admin.alterUserScramCredentials(List.of(upsert)).all(), "set the SCRAM credential of " + username);
        log.info("Kafka user {} has a new SCRAM-SHA-512 credential", username);
        return new KafkaLogin(username, password, MECHANISM);
    }

    /** Deletes the app's SCRAM user; one that is not there is not an error. */
    public void deleteUser(String appId) {
        String username = username(appId);
        boolean deleted = await(
                admin.alterUserScramCredentials(
                                List.of(new UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_512)))
                        .all(),
                "delete the SCRAM credential of " + username,
                true);
        log.info(deleted ? "Kafka user {} is deleted" : "Kafka user {} had no SCRAM credential to delete", username);
    }

    /**
     * Lets the app read the topic with its own consumer groups, and the router write it when it needs a grant. When
     * Kafka refuses any of it, what it did make is deleted again, and the {@link GrantFailedException} says whether
     * Kafka is known to be left granting nothing of it.
     *
     * @param groupShared whether another subscription of the app holds the consumer groups' ACL already, which a
     *     failure must then leave in place
     */
    public void grant(String appId, String topic, boolean groupShared) {
        List<AclBinding> bindings = new ArrayList<>(appBindings(appId, topic));
        AclBinding group = groupBinding(appId);
        bindings.add(group);
        bindings.addAll(routerBindings(topic));
        String what = "grant " + principal(appId) + " read access to " + topic;
        CreateAclsResult result = admin.createAcls(bindings);
        try {
            await(result.all(), what);
        } catch (RegistryUnavailableException e) {
            List<AclBinding> made = new ArrayList<>();
            boolean known = true;
            for (Map.Entry<AclBinding, KafkaFuture<Void>> f : result.values().entrySet()) {
                if (!f.getValue().isDone()) {
                    known = false;
                } else if (!f.getValue().isCompletedExceptionally()
                        && !(groupShared && f.getKey().equals(group))) {
                    made.add(f.getKey());
                }
            }
            boolean clean = known && (made.isEmpty() || deleteQuietly(made));
            throw new GrantFailedException(e.getMessage(), clean);
        }
        log.info("Granted {} READ on topic {} and groups {}*", principal(appId), topic, groupPrefix(appId));
    }

    /** Kafka did not take a grant; {@link #clean()} when none of it is left in force. */
    public static final class GrantFailedException extends RegistryUnavailableException {
        private static final long serialVersionUID = 1L;
        private final boolean clean;

        GrantFailedException(String message, boolean clean) {
            super(message);
            this.clean = clean;
        }

        public boolean clean() {
            return clean;
        }
    }

    private boolean deleteQuietly(List<AclBinding> bindings) {
        try {
            await(
                    admin.deleteAcls(bindings.stream().map(AclBinding::toFilter).toList())
                            .all(),
                    "take back a partial grant");
            return true;
        } catch (RegistryUnavailableException e) {
            log.error("A partial grant could not be taken back: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Takes back what {@link #grant} gave for the topic; the group prefix too when the app keeps no other
     * subscription.
     */
    public void revoke(String appId, String topic, boolean lastSubscription) {
        List<AclBindingFilter> filters = new ArrayList<>();
        appBindings(appId, topic).forEach(b -> filters.add(b.toFilter()));
        routerBindings(topic).forEach(b -> filters.add(b.toFilter()));
        if (lastSubscription) {
            filters.add(groupBinding(appId).toFilter());
        }
        await(admin.deleteAcls(filters).all(), "revoke the access of " + principal(appId) + " to " + topic);
        log.info("Revoked {} access to topic {}{}", principal(appId), topic, lastSubscription ? " and its groups" : "");
    }

    /** Deletes every ACL that names the app's principal, whatever it was granted on. */
    public void revokeAll(String appId) {
        AclBindingFilter all = new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal(appId), null, AclOperation.ANY, AclPermissionType.ANY));
        await(admin.deleteAcls(List.of(all)).all(), "revoke every ACL of " + principal(appId));
        log.info("Revoked every ACL of {}", principal(appId));
    }

    static String principal(String appId) {
        return "User:" + username(appId);
    }

    private static List<AclBinding> appBindings(String appId, String topic) {
        ResourcePattern t = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
        return List.of(
                allow(t, principal(appId), AclOperation.READ), allow(t, principal(appId), AclOperation.DESCRIBE));
    }

    private static AclBinding groupBinding(String appId) {
        return allow(
                new ResourcePattern(ResourceType.GROUP, groupPrefix(appId), PatternType.PREFIXED),
                principal(appId),
                AclOperation.READ);
    }

    private List<AclBinding> routerBindings(String topic) {
        if (properties.routerPrincipal() == null || topic.startsWith(SUBSCRIPTION_TOPIC_PREFIX)) {
            return List.of();
        }
        ResourcePattern t = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
        return List.of(
                allow(t, properties.routerPrincipal(), AclOperation.WRITE),
                allow(t, properties.routerPrincipal(), AclOperation.DESCRIBE),
                allow(t, properties.routerPrincipal(), AclOperation.DESCRIBE_CONFIGS));
    }

    private static AclBinding allow(ResourcePattern resource, String principal, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** 256 random bits, base64url without padding: 43 characters. */
    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void await(KafkaFuture<?> future, String what) {
        await(future, what, false);
    }

    /** Waits for Kafka; false when {@code missingIsDone} and Kafka says there was nothing to change. */
    private boolean await(KafkaFuture<?> future, String what, boolean missingIsDone) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (missingIsDone && e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw new RegistryUnavailableException(
                    "Kafka did not " + what + ": " + e.getCause().getClass().getSimpleName() + ": "
                            + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException("Kafka did not " + what + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while waiting for Kafka to " + what);
        }
    }
}
