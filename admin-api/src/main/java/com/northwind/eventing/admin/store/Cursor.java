package com.northwind.eventing.admin.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.FindIterable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A position in the newest-first order (receivedAt descending, then eventId descending), as the opaque string a page
 * hands out: base64url of {@code v1:<epoch millis>:<eventId>}. It names only a position, never a filter, so a forged
 * one that reads well shows nothing the same query would not; one that does not read is a 400 naming {@code cursor}.
 */
public record Cursor(long receivedAtMillis, String eventId) {
    public static final String PARAMETER = "cursor";
    private static final String VERSION = "v1:";
    private static final int MAX_LENGTH = 512;
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, the years an ISO-8601 date has four digits for.
    private static final long MIN_MILLIS = -62_167_219_200_000L;
    private static final long MAX_MILLIS = 253_402_300_799_999L;

    /**
     * The documents strictly after this position in newest-first order by {@code timeField}, then {@code _id}: stable
     * however many documents arrive meanwhile.
     */
    public Bson after(String timeField) {
        Date at = new Date(receivedAtMillis);
        return or(lt(timeField, at), and(eq(timeField, at), lt("_id", eventId)));
    }

    /** A page of documents in newest-first order, and the cursor after its last one, or null when none follow. */
    public record Page(List<Document> documents, String next) {}

    /**
     * Reads one page of at most {@code limit} documents from a query already sorted newest first by {@code timeField}
     * (a dotted path), then {@code _id}: one more is asked for, to know whether another page follows.
     */
    public static Page page(FindIterable<Document> newestFirst, int limit, String timeField) {
        List<Document> found = newestFirst.limit(limit + 1).into(new ArrayList<>(limit + 1));
        if (found.size() <= limit) {
            return new Page(found, null);
        }
        List<Document> page = found.subList(0, limit);
        Document last = page.get(limit - 1);
        Date at = last.getEmbedded(List.of(timeField.split("\\.")), Date.class);
        return new Page(page, new Cursor(at.getTime(), last.getString("_id")).encode());
    }

    String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((VERSION + receivedAtMillis + ":" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String cursor) {
        if (cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw garbled();
        }
        String text;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw garbled();
        }
        if (!text.startsWith(VERSION)) {
            throw garbled();
        }
        int colon = text.indexOf(':', VERSION.length());
        if (colon < 0) {
            throw garbled();
        }
        String millis = text.substring(VERSION.length(), colon);
        String eventId = text.substring(colon + 1);
        if (!millis.matches("-?[0-9]{1,15}") || !EventIds.isValid(eventId)) {
            throw garbled();
        }
        long at = Long.parseLong(millis);
        if (at < MIN_MILLIS || at > MAX_MILLIS) {
            throw garbled();
        }
        return new Cursor(at, eventId);
    }

    private static StoreParameterException garbled() {
        return StoreParameterException.malformed(
                PARAMETER, "not a cursor this API handed out; use nextCursor from the previous page as it is");
    }
}
