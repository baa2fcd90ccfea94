package com.northwind.eventing.benchmarks;

import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.redaction.RedactionPlan;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One redacted copy of a claim-like body (about 600 bytes, the SSN at {@code /member/ssn} redacted), two ways in one
 * run: {@code text}, as the router makes a redacted copy ({@link RedactionPlan#apply(String)}: one pass over the
 * text's tokens, only the SSN's characters replaced), and {@code tree}, as it made one before and still makes a
 * projected one (the body parsed to a tree, redacted on a copy of it and written again). Both give the same JSON; the
 * score is bodies per second on one thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RedactPerf {
    /** A claim as the router benchmark's bodies are made (load-tool's {@code Bodies}), written out once. */
    static final String BODY = "{\"id\": 17, \"claimId\": \"CLM-4820193746\", \"status\": \"ADJUDICATED\","
            + " \"member\": {\"memberId\": \"M302948571\", \"ssn\": \"123-45-6789\", \"dob\": \"1971-04-22\"},"
            + " \"provider\": {\"npi\": \"1467503981\", \"name\": \"Provider 4471\"},"
            + " \"serviceDate\": \"2026-11-03\", \"lines\": [{\"code\": \"99214\", \"units\": 1, \"amount\": 182.40},"
            + " {\"code\": \"80053\", \"units\": 2, \"amount\": 47.10}, {\"code\": \"36415\", \"units\": 1,"
            + " \"amount\": 12.00}], \"total\": 288.60, \"note\": \"patient reports follow-up visit lab results"
            + " reviewed prior authorization denied resubmitted with corrected modifier provider notes attached"
            + " member called about balance billing coordination of benefits secondary payer on file\"}";

    @State(Scope.Benchmark)
    public static class Plan {
        // As RoutingProcessor reads and writes bodies: decimals as decimals, so 12.00 stays 12.00.
        final JsonMapper json = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        final RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/member/ssn", "PHI")), List.of());
    }

    @Benchmark
    public String text(Plan p) {
        return p.plan.apply(BODY).body();
    }

    @Benchmark
    public String tree(Plan p) {
        return p.json.writeValueAsString(p.plan.apply(p.json.readTree(BODY)).body());
    }
}
