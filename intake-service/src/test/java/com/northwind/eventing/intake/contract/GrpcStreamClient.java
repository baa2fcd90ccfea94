package com.northwind.eventing.intake.contract;

import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishStreamResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Publishes events on one {@code PublishStream} and collects the answers, for tests. It sends as
 * fast as gRPC's flow control lets it (only while the call is ready), so the server's flow control is what paces it,
 * and then half-closes and waits for the stream to end.
 */
public final class GrpcStreamClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final EventIntakeGrpc.EventIntakeStub stub;

    /** @param hostPort where the intake's gRPC listens, e.g. {@code 127.0.0.1:9090} */
    public GrpcStreamClient(String hostPort) {
        this.channel = Grpc.newChannelBuilder(hostPort, InsecureChannelCredentials.create())
                .build();
        this.stub = EventIntakeGrpc.newStub(channel);
    }

    /**
     * What came back on one stream.
     *
     * @param responses the answers, in the order they arrived
     * @param status how the stream ended: OK once every event was answered, else the error it ended with
     * @param sent how many events were handed to the stream
     */
    public record Result(List<PublishStreamResponse> responses, Status status, int sent) {
        /** The answers as outcomes, in the order they arrived. */
        public List<Outcome> outcomes() {
            return responses.stream()
                    .map(r -> r.hasReceipt()
                            ? GrpcTransport.success(r.getReceipt())
                            : GrpcTransport.failure(r.getError()))
                    .toList();
        }

        /** Whether the answers are numbered 0, 1, 2, ... with no gap. */
        public boolean inOrder() {
            for (int i = 0; i < responses.size(); i++) {
                if (responses.get(i).getSequence() != i) {
                    return false;
                }
            }
            return true;
        }

        /** How many events were acknowledged (answered with a receipt). */
        public long acknowledged() {
            return responses.stream().filter(PublishStreamResponse::hasReceipt).count();
        }
    }

    /** Publishes events given as the JSON of the REST body (see {@link GrpcTransport#toRequest(String)}). */
    public Result publishJson(String token, List<String> eventJsons, Duration timeout) {
        List<PublishRequest> events =
                eventJsons.stream().map(GrpcTransport::toRequest).toList();
        return publish(token, events.size(), events::get, timeout);
    }

    /** Publishes the events on one stream and waits until it ends or the timeout passes. */
    public Result publish(String token, List<PublishRequest> events, Duration timeout) {
        return publish(token, events.size(), events::get, timeout);
    }

    /**
     * Publishes {@code count} events, the i-th made by {@code event} when it is about to be sent (so that a long
     * stream need not be held in memory), on one stream, and waits until it ends or the timeout passes.
     *
     * @throws IllegalStateException when the stream did not end in time (it is cancelled)
     */
    public Result publish(String token, int count, IntFunction<PublishRequest> event, Duration timeout) {
        List<PublishStreamResponse> responses = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Status> ended = new CompletableFuture<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<ClientCallStreamObserver<PublishRequest>> call = new AtomicReference<>();
        ClientResponseObserver<PublishRequest, PublishStreamResponse> observer = new ClientResponseObserver<>() {
            private boolean halfClosed;

            @Override
            public void beforeStart(ClientCallStreamObserver<PublishRequest> requests) {
                call.set(requests);
                requests.setOnReadyHandler(() -> {
                    // Called on the call's executor, one at a time: fill the window, then wait for the next ready.
                    while (requests.isReady() && sent.get() < count) {
                        requests.onNext(event.apply(sent.getAndIncrement()));
                    }
                    if (sent.get() == count && !halfClosed) {
                        halfClosed = true;
                        requests.onCompleted();
                    }
                });
            }

            @Override
            public void onNext(PublishStreamResponse response) {
                responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        };
        GrpcTransport.withHeaders(stub, token, null).publishStream(observer);
        Status status;
        try {
            status = ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.get().cancel("the test gave up waiting", null);
            throw new IllegalStateException("the stream did not end within " + timeout + "; " + responses.size()
                    + " of " + count + " events answered");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        synchronized (responses) {
            return new Result(List.copyOf(responses), status, sent.get());
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
