package com.northwind.eventing.load;

import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.Metadata;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishStreamResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * gRPC {@code PublishStream} load: a few streams, each sending its share of the events as fast as flow control lets
 * it (or on the rate's schedule) and timing each acknowledgement from when its event was due.
 */
final class GrpcLoad {
    private GrpcLoad() {}

    static void stream(String target, String token, LoadMain.Run run, int streams) throws InterruptedException {
        // Answers are only counted, so they are handled on the transport's thread, with no hand-off per answer.
        ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
                .directExecutor()
                .build();
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(
                io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        EventIntakeGrpc.EventIntakeStub stub =
                EventIntakeGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int from = (int) ((long) run.events * s / streams);
            int to = (int) ((long) run.events * (s + 1) / streams);
            Thread t = new Thread(() -> oneStream(stub, run, from, to), "grpc-stream-" + s);
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    }

    private static void oneStream(EventIntakeGrpc.EventIntakeStub stub, LoadMain.Run run, int from, int to) {
        int count = to - from;
        long[] due = new long[count];
        CountDownLatch ended = new CountDownLatch(1);
        Object ready = new Object();
        java.util.concurrent.atomic.AtomicReference<ClientCallStreamObserver<PublishRequest>> call =
                new java.util.concurrent.atomic.AtomicReference<>();
        ClientResponseObserver<PublishRequest, PublishStreamResponse> observer = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<PublishRequest> requests) {
                call.set(requests);
                requests.setOnReadyHandler(() -> {
                    synchronized (ready) {
                        ready.notifyAll();
                    }
                });
            }

            @Override
            public void onNext(PublishStreamResponse r) {
                run.done(
                        due[(int) r.getSequence()],
                        r.hasReceipt(),
                        r.hasReceipt() ? "" : r.getError().getMessage());
            }

            @Override
            public void onError(Throwable t) {
                System.err.println("stream ended with " + t);
                ended.countDown();
            }

            @Override
            public void onCompleted() {
                ended.countDown();
            }
        };
        stub.publishStream(observer);
        for (int i = 0; i < count; i++) {
            // Waits for gRPC's flow control to let more through, without burning the CPU the server needs.
            synchronized (ready) {
                while (!call.get().isReady()) {
                    try {
                        ready.wait(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            due[i] = run.due(from + i);
            call.get()
                    .onNext(PublishRequest.newBuilder()
                            .setNoun("Load")
                            .setVerb("Tested")
                            .setObject("Event")
                            .setMetadata(Metadata.newBuilder().setTransactionId("load-" + (from + i)))
                            .setBody(run.body(from + i))
                            .build());
        }
        call.get().onCompleted();
        try {
            ended.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
