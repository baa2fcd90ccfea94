package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.PublishBatchRequest;
import com.northwind.eventing.schema.grpc.PublishBatchResponse;
import com.northwind.eventing.schema.grpc.PublishBatchResult;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishResponse;
import com.northwind.eventing.schema.grpc.PublishStreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eventing.v1.EventIntake}: translates each call to the publish core and its outcome back, nothing more. An
 * answer is sent in the producer's callback, never before Kafka acknowledged the event. The app comes from the
 * {@link AuthInterceptor}.
 */
final class EventIntakeService extends EventIntakeGrpc.EventIntakeImplBase {
    private static final Logger log = LoggerFactory.getLogger(EventIntakeService.class);
    private static final String PUBLISHING = "publishing over gRPC";

    private final Publisher publisher;
    private final int maxBatchEvents;
    private final int maxInFlightPerStream;
    private final Set<OrderedAcknowledger<Receipt>> streams = ConcurrentHashMap.newKeySet();

    EventIntakeService(Publisher publisher, int maxBatchEvents, int maxInFlightPerStream) {
        this.publisher = publisher;
        this.maxBatchEvents = maxBatchEvents;
        this.maxInFlightPerStream = maxInFlightPerStream;
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> responses) {
        // With a cancel handler, an answer for a client that left is dropped instead of thrown.
        ((ServerCallStreamObserver<PublishResponse>) responses).setOnCancelHandler(() -> {});
        publishOne(AuthInterceptor.APP.get(), request, AuthInterceptor.TRACEPARENT.get())
                .whenComplete((receipt, error) -> {
                    if (error == null) {
                        responses.onNext(PublishResponse.newBuilder()
                                .setReceipt(ProtoMapper.toReceipt(receipt))
                                .build());
                        responses.onCompleted();
                    } else {
                        responses.onError(GrpcErrors.toException(error, log, PUBLISHING));
                    }
                });
    }

    @Override
    public void publishBatch(PublishBatchRequest request, StreamObserver<PublishBatchResponse> responses) {
        ((ServerCallStreamObserver<PublishBatchResponse>) responses).setOnCancelHandler(() -> {});
        if (LenientParsing.unparseable(request)) {
            responses.onError(GrpcErrors.toException(LenientParsing.refusal(request)));
            return;
        }
        int count = request.getEventsCount();
        if (count > maxBatchEvents) {
            responses.onError(GrpcErrors.toException(new PublishException(
                    PublishException.Kind.TOO_LARGE,
                    "a batch holds at most " + maxBatchEvents + " events; this one has " + count)));
            return;
        }
        App app = AuthInterceptor.APP.get();
        String traceparent = AuthInterceptor.TRACEPARENT.get();
        List<CompletableFuture<PublishBatchResult>> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            results.add(publishOne(app, request.getEvents(i), traceparent)
                    .handle((receipt, error) -> {
                        PublishBatchResult.Builder r =
                                PublishBatchResult.newBuilder().setIndex(index);
                        return error == null
                                ? r.setReceipt(ProtoMapper.toReceipt(receipt)).build()
                                : r.setError(ErrorMapper.toStatus(error, log, PUBLISHING))
                                        .build();
                    })
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            PublishBatchResponse.Builder response = PublishBatchResponse.newBuilder();
            results.forEach(r -> response.addResults(r.join()));
            responses.onNext(response.build());
            responses.onCompleted();
        });
    }

    @Override
    public StreamObserver<PublishRequest> publishStream(StreamObserver<PublishStreamResponse> responses) {
        ServerCallStreamObserver<PublishStreamResponse> call =
                (ServerCallStreamObserver<PublishStreamResponse>) responses;
        // Read only what the acknowledger asks for: this is what bounds the events a stream holds in memory.
        call.disableAutoRequest();
        AppDirectory.Credential credential = AuthInterceptor.CREDENTIAL.get();
        String traceparent = AuthInterceptor.TRACEPARENT.get();
        Sink sink = new Sink(call);
        OrderedAcknowledger<Receipt> acknowledger = new OrderedAcknowledger<>(maxInFlightPerStream, sink);
        sink.acknowledger = acknowledger;
        streams.add(acknowledger);
        call.setOnReadyHandler(acknowledger::onReady);
        call.setOnCancelHandler(() -> {
            acknowledger.cancel();
            streams.remove(acknowledger);
        });
        acknowledger.start();
        return new StreamObserver<>() {
            @Override
            public void onNext(PublishRequest request) {
                acknowledger.add(() -> {
                    // Looked up again for each event: a stream outlives a token revocation or a grant change.
                    App app;
                    try {
                        app = publisher.authenticate(credential);
                    } catch (PublishException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                    return publishOne(app, request, traceparent);
                });
            }

            @Override
            public void onError(Throwable t) {
                acknowledger.cancel();
                streams.remove(acknowledger);
            }

            @Override
            public void onCompleted() {
                acknowledger.halfClose();
            }
        };
    }

    /**
     * Stops reading every open stream: each answers the events it read, then ends UNAVAILABLE (or OK when its client
     * had finished), so its client knows which events to send again. For a graceful shutdown.
     */
    void stopStreams() {
        streams.forEach(OrderedAcknowledger::stop);
    }

    /** A refusal or an unexpected failure alike fails the stage; the answer says which. */
    private CompletionStage<Receipt> publishOne(App app, PublishRequest request, String traceparent) {
        if (LenientParsing.unparseable(request)) {
            return CompletableFuture.failedFuture(LenientParsing.refusal(request));
        }
        try {
            return publisher.publish(app, ProtoMapper.toRequest(request, publisher.requests()), traceparent);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Answers one stream's events, in order, on its call. */
    private final class Sink implements OrderedAcknowledger.Sink<Receipt> {
        private final ServerCallStreamObserver<PublishStreamResponse> call;
        private OrderedAcknowledger<Receipt> acknowledger;

        Sink(ServerCallStreamObserver<PublishStreamResponse> call) {
            this.call = call;
        }

        @Override
        public void answer(long sequence, Receipt receipt, Throwable error) {
            PublishStreamResponse.Builder r = PublishStreamResponse.newBuilder().setSequence(sequence);
            if (error == null) {
                r.setReceipt(ProtoMapper.toReceipt(receipt));
            } else {
                r.setError(ErrorMapper.toStatus(error, log, PUBLISHING));
            }
            call.onNext(r.build());
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void request(int count) {
            call.request(count);
        }

        @Override
        public void close(boolean complete, long answered) {
            streams.remove(acknowledger);
            if (complete) {
                call.onCompleted();
            } else {
                call.onError(GrpcErrors.toException(new PublishException(
                        PublishException.Kind.UNAVAILABLE,
                        "the intake is shutting down; events from sequence " + answered
                                + " on were not read: send them again",
                        List.of(),
                        GrpcErrors.RETRY_AFTER)));
            }
        }
    }
}
