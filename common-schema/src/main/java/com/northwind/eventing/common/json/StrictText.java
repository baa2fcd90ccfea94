package com.northwind.eventing.common.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The rules of I-JSON (RFC 7493) on a document's text that a JSON parser leaves unchecked: the text is well-formed
 * UTF-8, and no {@code \}{@code u} escape names a lone surrogate. Jackson decodes overlong forms and code points above
 * U+10FFFF into other characters without a word and takes {@code "\}{@code ud800"} as a character, and Java's decoder
 * turns what it cannot read into U+FFFD: either way a producer's text would reach consumers altered.
 *
 * <p>Well-formed means as Unicode's table 3-7 has it: no overlong forms ({@code C0 AF}), no encoded surrogates
 * ({@code ED A0 80}), nothing above U+10FFFF, no sequence cut short, no byte that never occurs ({@code F5}-{@code FF}).
 *
 * <p>The scan reads eight bytes at a time while they are all ASCII below DEL and none is a backslash, which is the
 * whole of a usual event, and looks closer only at what it must.
 */
public final class StrictText {
    /** What {@link #scan} answers for a text of ASCII below DEL without a backslash: nothing in it to look at. */
    public static final long PLAIN = -1;
    /** What {@link #scan} answers for a well-formed text that has escapes, DEL, or characters beyond ASCII. */
    public static final long VALID = -2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private StrictText() {}

    /**
     * Checks UTF-8 text.
     *
     * @return {@link #PLAIN}, {@link #VALID}, or the offset of the first byte of the first thing wrong (see
     *     {@link #describe(byte[], int)})
     */
    public static long scan(byte[] utf8) {
        return scan(utf8, 0, utf8.length);
    }

    /**
     * Checks the UTF-8 text between two offsets, which lie between whole characters and outside escapes (between
     * JSON tokens, say), as {@link #scan(byte[])} checks a whole text.
     *
     * @return {@link #PLAIN}, {@link #VALID}, or the offset in {@code utf8} of the first thing wrong
     */
    public static long scan(byte[] utf8, int from, int to) {
        boolean plain = true;
        int i = from;
        int n = to;
        while (i < n) {
            while (i + 8 <= n) {
                long x = (long) LONGS.get(utf8, i);
                long y = x ^ BACKSLASHES;
                // A byte from DEL up sets its high bit in x or in x + 1; a backslash is a zero byte in y.
                if ((((x | (x + ONES)) | ((y - ONES) & ~y)) & HIGHS) != 0) {
                    break;
                }
                i += 8;
            }
            if (i >= n) {
                break;
            }
            int c = utf8[i] & 0xFF;
            if (c == '\\') {
                plain = false;
                int next = escape(utf8, i, n);
                if (next < 0) {
                    return i;
                }
                i = next;
            } else if (c < 0x7F) {
                i++;
            } else {
                plain = false;
                int length = c == 0x7F ? 1 : sequence(utf8, i, n);
                if (length < 0) {
                    return i;
                }
                i += length;
            }
        }
        return plain ? PLAIN : VALID;
    }

    /**
     * Checks the escapes of text that was decoded strictly (so that it holds no lone surrogate of its own): a gRPC
     * string, a document in another charset.
     *
     * @return {@link #PLAIN} when it has no backslash, {@link #VALID}, or the offset of the backslash of the first lone
     *     surrogate escape
     */
    public static long scan(String text) {
        int i = text.indexOf('\\');
        if (i < 0) {
            return PLAIN;
        }
        int n = text.length();
        while (i >= 0) {
            int next = escape(text, i, n);
            if (next < 0) {
                return i;
            }
            i = next >= n ? -1 : text.indexOf('\\', next);
        }
        return VALID;
    }

    /** What is wrong at an offset {@link #scan(byte[])} answered, in words that quote nothing of the text. */
    public static String describe(byte[] utf8, int offset) {
        int c = utf8[offset] & 0xFF;
        if (c == '\\') {
            return loneSurrogate(utf8, offset, utf8.length);
        }
        String at = " at byte " + offset;
        if (c >= 0x80 && c <= 0xBF) {
            return "invalid UTF-8: a continuation byte with no sequence to continue" + at;
        }
        if (c == 0xC0 || c == 0xC1) {
            return "invalid UTF-8: an overlong encoding" + at;
        }
        if (c >= 0xF5) {
            return String.format("invalid UTF-8: byte 0x%02X never occurs in UTF-8%s", c, at);
        }
        int second = offset + 1 < utf8.length ? utf8[offset + 1] & 0xFF : -1;
        if (c == 0xE0 && second >= 0x80 && second < 0xA0 || c == 0xF0 && second >= 0x80 && second < 0x90) {
            return "invalid UTF-8: an overlong encoding" + at;
        }
        if (c == 0xED && second >= 0xA0 && second <= 0xBF) {
            return "invalid UTF-8: an encoded surrogate (a surrogate is no character; UTF-8 never encodes one)" + at;
        }
        if (c == 0xF4 && second >= 0x90 && second <= 0xBF) {
            return "invalid UTF-8: a code point above U+10FFFF" + at;
        }
        return "invalid UTF-8: a sequence cut short" + at;
    }

    /** What is wrong at an offset {@link #scan(String)} answered. */
    public static String describe(String text, int offset) {
        return loneSurrogate(text, offset, text.length());
    }

    /**
     * The length of the well-formed UTF-8 sequence of two to four bytes at {@code i}, or -1 when it is not one.
     * Unicode's table 3-7, row by row.
     */
    private static int sequence(byte[] b, int i, int n) {
        int c = b[i] & 0xFF;
        if (c < 0xC2 || c > 0xF4) {
            return -1;
        }
        if (c < 0xE0) {
            return continues(b, i + 1, n) ? 2 : -1;
        }
        int second = i + 1 < n ? b[i + 1] & 0xFF : -1;
        int low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        int high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (second < low || second > high) {
            return -1;
        }
        if (c < 0xF0) {
            return continues(b, i + 2, n) ? 3 : -1;
        }
        return continues(b, i + 2, n) && continues(b, i + 3, n) ? 4 : -1;
    }

    private static boolean continues(byte[] b, int i, int n) {
        return i < n && (b[i] & 0xC0) == 0x80;
    }

    /**
     * Where the escape at the backslash at {@code i} ends, or -1 when it names a lone surrogate. What is not a
     * {@code \}{@code u} escape with four hex digits is stepped over: the parser refuses what is no escape at all.
     */
    private static int escape(byte[] b, int i, int n) {
        if (i + 1 >= n || b[i + 1] != 'u') {
            return i + 2;
        }
        int unit = hex4(b, i + 2, n);
        if (unit < 0) {
            return i + 2;
        }
        if (Character.isHighSurrogate((char) unit)) {
            boolean escaped = i + 7 < n && b[i + 6] == '\\' && b[i + 7] == 'u';
            return escaped && Character.isLowSurrogate((char) hex4(b, i + 8, n)) ? i + 12 : -1;
        }
        return Character.isLowSurrogate((char) unit) ? -1 : i + 6;
    }

    private static int escape(String s, int i, int n) {
        if (i + 1 >= n || s.charAt(i + 1) != 'u') {
            return i + 2;
        }
        int unit = hex4(s, i + 2, n);
        if (unit < 0) {
            return i + 2;
        }
        if (Character.isHighSurrogate((char) unit)) {
            boolean escaped = i + 7 < n && s.charAt(i + 6) == '\\' && s.charAt(i + 7) == 'u';
            return escaped && Character.isLowSurrogate((char) hex4(s, i + 8, n)) ? i + 12 : -1;
        }
        return Character.isLowSurrogate((char) unit) ? -1 : i + 6;
    }

    /** The value of four hex digits at {@code i}, or -1 when there are not four. */
    private static int hex4(byte[] b, int i, int n) {
        if (i + 4 > n) {
            return -1;
        }
        int value = 0;
        for (int k = i; k < i + 4; k++) {
            int d = hexDigit(b[k]);
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }

    private static int hex4(String s, int i, int n) {
        if (i + 4 > n) {
            return -1;
        }
        int value = 0;
        for (int k = i; k < i + 4; k++) {
            int d = hexDigit(s.charAt(k));
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }

    private static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static String loneSurrogate(byte[] b, int i, int n) {
        return loneSurrogate(hex4(b, i + 2, n), i, " at byte ");
    }

    private static String loneSurrogate(String s, int i, int n) {
        return loneSurrogate(hex4(s, i + 2, n), i, " at character ");
    }

    private static String loneSurrogate(int unit, int offset, String unitName) {
        String which = Character.isHighSurrogate((char) unit)
                ? "a high surrogate escape not followed by a low one"
                : "a low surrogate escape with no high one before it";
        return String.format(
                "a lone surrogate: \\u%04X is %s; I-JSON (RFC 7493) allows only characters%s%d",
                unit, which, unitName, offset);
    }
}
