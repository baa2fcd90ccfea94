package com.northwind.eventing.load;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.PublishRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Drainable;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * gRPC {@code PublishStream} load: a few streams, each sending its share of the events as fast as flow control lets
 * it (from gRPC's on-ready callback) or on the rate's schedule (from a thread of its own), and timing each
 * acknowledgement from when its event was due.
 *
 * <p>The requests go out as protobuf bytes the tool writes itself ({@link Requests}), the same bytes the generated
 * message would give, without building a message and serializing it for every event; of each answer only the sequence
 * and the outcome are read ({@link Answer}). On a shared machine the client's CPU is taken from the server it
 * measures, and Kafka's own perf tool, the baseline, does not build its records either.
 */
final class GrpcLoad {
    /** PublishStream, with requests that are already encoded and answers read as far as they are counted. */
    static final MethodDescriptor<byte[], Answer> PUBLISH_STREAM = EventIntakeGrpc.getPublishStreamMethod().toBuilder(
                    new EncodedMarshaller(), new AnswerMarshaller())
            .build();

    private GrpcLoad() {}

    static void stream(String target, String token, LoadMain.Run run, int streams) throws InterruptedException {
        // Answers are only counted, so they are handled on the transport's thread, with no hand-off per answer.
        ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
                .directExecutor()
                // No retries: gRPC would otherwise keep a copy of every message a stream sends until the server's
                // headers commit the call, work no producer of events needs on a stream it answers itself.
                .disableRetry()
                .build();
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(
                io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        Channel authenticated =
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        Requests requests = new Requests(run);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int from = (int) ((long) run.events * s / streams);
            int to = (int) ((long) run.events * (s + 1) / streams);
            Thread t = new Thread(() -> oneStream(authenticated, requests, run, from, to), "grpc-stream-" + s);
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    }

    private static void oneStream(Channel channel, Requests requests, LoadMain.Run run, int from, int to) {
        int count = to - from;
        long[] due = new long[count];
        CountDownLatch ended = new CountDownLatch(1);
        Object ready = new Object();
        java.util.concurrent.atomic.AtomicReference<ClientCallStreamObserver<byte[]>> call =
                new java.util.concurrent.atomic.AtomicReference<>();
        boolean flatOut = run.rate <= 0;
        int[] sent = {0};
        ClientResponseObserver<byte[], Answer> observer = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<byte[]> stream) {
                call.set(stream);
                if (flatOut) {
                    // Flat-out, the transport's own thread sends whenever flow control lets it (gRPC calls onReady
                    // once the call starts, then each time the stream drains), with no sender to wake per turn.
                    stream.setOnReadyHandler(() -> {
                        while (sent[0] < count && stream.isReady()) {
                            int i = sent[0]++;
                            due[i] = System.nanoTime();
                            stream.onNext(requests.encode(from + i));
                        }
                        if (sent[0] == count) {
                            sent[0]++; // past the last event: completed once, not at each later onReady
                            stream.onCompleted();
                        }
                    });
                } else {
                    stream.setOnReadyHandler(() -> {
                        synchronized (ready) {
                            ready.notifyAll();
                        }
                    });
                }
            }

            @Override
            public void onNext(Answer a) {
                run.done(due[(int) a.sequence()], a.error() == null, a.error());
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
        ClientCalls.asyncBidiStreamingCall(channel.newCall(PUBLISH_STREAM, CallOptions.DEFAULT), observer);
        if (!flatOut) {
            ClientCallStreamObserver<byte[]> stream = call.get();
            for (int i = 0; i < count; i++) {
                // Waits for gRPC's flow control to let more through, without burning the CPU the server needs.
                if (!stream.isReady()) {
                    synchronized (ready) {
                        while (!stream.isReady()) {
                            try {
                                ready.wait(10);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    }
                }
                due[i] = run.due(from + i);
                stream.onNext(requests.encode(from + i));
            }
            stream.onCompleted();
        }
        try {
            ended.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Event {@code id}'s {@code PublishRequest} in protobuf's wire format: noun, verb and object as one encoded prefix,
     * then the metadata's transaction id and the body, {@link LoadMain.Run#body} as REST sends it, in field order.
     * These are the bytes {@code PublishRequest.newBuilder()...build().toByteArray()} gives, as {@code GrpcLoadTest}
     * checks.
     */
    static final class Requests {
        private static final int METADATA = 6;
        private static final int TRANSACTION_ID = 1;
        private static final int BODY = 9;
        private static final byte[] TYPE = PublishRequest.newBuilder()
                .setNoun("Load")
                .setVerb("Tested")
                .setObject("Event")
                .build()
                .toByteArray();

        private final byte[] bodyHead;
        private final byte[] bodyTail;

        Requests(LoadMain.Run run) {
            this.bodyHead = run.bodyBeforeId().getBytes(StandardCharsets.UTF_8);
            this.bodyTail = run.bodyAfterId().getBytes(StandardCharsets.UTF_8);
        }

        byte[] encode(long id) {
            byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
            byte[] transaction = ("load-" + id).getBytes(StandardCharsets.US_ASCII);
            int metadata = CodedOutputStream.computeByteArraySize(TRANSACTION_ID, transaction);
            int body = bodyHead.length + digits.length + bodyTail.length;
            byte[] out = new byte
                    [TYPE.length
                            + CodedOutputStream.computeTagSize(METADATA)
                            + CodedOutputStream.computeUInt32SizeNoTag(metadata)
                            + metadata
                            + CodedOutputStream.computeTagSize(BODY)
                            + CodedOutputStream.computeUInt32SizeNoTag(body)
                            + body];
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            try {
                o.writeRawBytes(TYPE);
                o.writeTag(METADATA, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                o.writeUInt32NoTag(metadata);
                o.writeByteArray(TRANSACTION_ID, transaction);
                o.writeTag(BODY, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                o.writeUInt32NoTag(body);
                o.writeRawBytes(bodyHead);
                o.writeRawBytes(digits);
                o.writeRawBytes(bodyTail);
                o.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new IllegalStateException("the request's size was computed wrong", e);
            }
            return out;
        }
    }

    /** Sends encoded requests as they are; the tool never reads one. */
    private static final class EncodedMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new Encoded(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            throw new UnsupportedOperationException("the load tool only sends requests");
        }
    }

    /** Bytes gRPC can size and copy in one go, as it does a protobuf message's. */
    private static final class Encoded extends ByteArrayInputStream implements KnownLength, Drainable {
        Encoded(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    /**
     * What the tool counts of a {@code PublishStreamResponse}: its sequence, and the error's message when it holds an
     * error instead of a receipt (null then).
     */
    record Answer(long sequence, String error) {
        private static final int SEQUENCE = 1;
        private static final int RECEIPT = 2;
        private static final int ERROR = 3;

        static Answer parse(CodedInputStream in) throws IOException {
            long sequence = 0;
            String error = null;
            boolean answered = false;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case SEQUENCE -> sequence = in.readInt64();
                    case RECEIPT -> {
                        in.skipField(tag);
                        answered = true;
                        error = null;
                    }
                    case ERROR -> {
                        error = com.google.rpc.Status.parseFrom(in.readBytes()).getMessage();
                        answered = true;
                    }
                    default -> in.skipField(tag);
                }
            }
            return new Answer(sequence, answered ? error : "an answer with neither a receipt nor an error");
        }
    }

    /** Reads answers as {@link Answer}s; the tool never sends one. */
    private static final class AnswerMarshaller implements MethodDescriptor.Marshaller<Answer> {
        @Override
        public InputStream stream(Answer value) {
            throw new UnsupportedOperationException("the load tool only reads answers");
        }

        @Override
        public Answer parse(InputStream stream) {
            try {
                return Answer.parse(CodedInputStream.newInstance(stream));
            } catch (IOException e) {
                throw io.grpc.Status.INTERNAL
                        .withDescription("an answer that does not parse: " + e.getMessage())
                        .withCause(e)
                        .asRuntimeException();
            }
        }
    }
}
