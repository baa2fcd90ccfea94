package com.northwind.eventing.load;

/** gRPC PublishStream load; filled in once the gRPC transport lands. */
final class GrpcLoad {
    private GrpcLoad() {}

    static void stream(String target, String token, LoadMain.Run run, int window) {
        throw new UnsupportedOperationException("grpc-stream is not available in this build yet");
    }
}
