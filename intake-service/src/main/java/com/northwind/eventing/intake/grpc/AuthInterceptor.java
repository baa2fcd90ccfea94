package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.Publisher;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * Authenticates every call from its {@code authorization: Bearer <app token>} metadata before any message is read,
 * and puts the app, the token (hashed) and the W3C {@code traceparent} in the call's {@link Context}. A missing or unknown
 * token closes the call UNAUTHENTICATED.
 */
final class AuthInterceptor implements ServerInterceptor {
    static final Context.Key<App> APP = Context.key("eventing.app");
    /** The token, hashed, for streams: they look their app up again for each event so that a revocation applies. */
    static final Context.Key<AppDirectory.Credential> CREDENTIAL = Context.key("eventing.credential");

    static final Context.Key<String> TRACEPARENT = Context.key("eventing.traceparent");

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRACEPARENT_HEADER =
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    private final Publisher publisher;

    AuthInterceptor(Publisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String token = bearer(headers.get(AUTHORIZATION));
        AppDirectory.Credential credential;
        App app;
        try {
            credential = publisher.credential(token);
            app = publisher.authenticate(credential);
        } catch (PublishException e) {
            StatusRuntimeException refused = GrpcErrors.toException(e);
            call.close(refused.getStatus(), refused.getTrailers());
            return new ServerCall.Listener<>() {};
        }
        Context context = Context.current()
                .withValue(APP, app)
                .withValue(CREDENTIAL, credential)
                .withValue(TRACEPARENT, headers.get(TRACEPARENT_HEADER));
        return Contexts.interceptCall(context, call, headers, next);
    }

    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
