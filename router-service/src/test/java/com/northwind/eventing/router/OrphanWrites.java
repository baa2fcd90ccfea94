package com.northwind.eventing.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;

/**
 * Writes what a transaction's coordinator never hears of, as an older client could on a broker that does not verify
 * transactional writes ({@code transaction.partition.verification.enable=false}): a transactional batch sent with a
 * Produce version before implicit partition registration, or a transactional offset commit sent with a TxnOffsetCommit
 * version before it. The partition then holds an open transaction that no marker will end: a hanging transaction.
 */
final class OrphanWrites {
    private final String host;
    private final int port;

    OrphanWrites(String bootstrapServers) {
        String first = bootstrapServers.split(",")[0];
        this.host = first.substring(0, first.lastIndexOf(':'));
        this.port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    /** Appends one transactional record of the producer to the partition, without adding it to the transaction. */
    void produce(
            String transactionalId,
            long producerId,
            short epoch,
            int sequence,
            String topic,
            int partition,
            String value)
            throws IOException {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(
                Compression.NONE,
                producerId,
                epoch,
                sequence,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData data = new ProduceRequestData()
                .setTransactionalId(transactionalId)
                .setAcks((short) -1)
                .setTimeoutMs(30_000);
        data.topicData()
                .add(new ProduceRequestData.TopicProduceData()
                        .setName(topic)
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(partition)
                                .setRecords(records))));
        short version = ProduceRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2;
        expectNoError(send(new ProduceRequest.Builder(version, version, data).build(version)));
    }

    /** Commits the group's offset for the partition inside the producer's transaction, without adding the group. */
    void commitOffset(
            String transactionalId,
            long producerId,
            short epoch,
            String groupId,
            String topic,
            int partition,
            long offset)
            throws IOException {
        TxnOffsetCommitRequestData data = new TxnOffsetCommitRequestData()
                .setTransactionalId(transactionalId)
                .setGroupId(groupId)
                .setProducerId(producerId)
                .setProducerEpoch(epoch)
                .setGenerationId(-1)
                .setMemberId("")
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                        .setName(topic)
                        .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(partition)
                                .setCommittedOffset(offset)))));
        short version = TxnOffsetCommitRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2;
        expectNoError(send(new TxnOffsetCommitRequest.Builder(data).build(version)));
    }

    private static void expectNoError(AbstractResponse response) {
        Map<Errors, Integer> errors = response.errorCounts();
        if (errors.keySet().stream().anyMatch(e -> e != Errors.NONE)) {
            throw new IllegalStateException("the broker refused the write: " + errors);
        }
    }

    private AbstractResponse send(AbstractRequest request) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "orphan-writes", 1);
        ByteBuffer bytes = request.serializeWithHeader(header);
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
        }
    }
}
