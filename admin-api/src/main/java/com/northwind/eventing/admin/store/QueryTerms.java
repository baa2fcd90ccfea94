package com.northwind.eventing.admin.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words of a search's {@code q}, cut as the stored documents' {@code searchTerms} are (see docs/event-store.md):
 * runs of letters and digits, every other code point a separator, each cut to {@value #MAX_TERM_LENGTH} code points
 * and lower-cased ({@link Locale#ROOT}), distinct, in first-seen order. A word only matches when both sides cut it
 * the same way, so this follows the contract's rule exactly.
 */
final class QueryTerms {
    static final int MAX_TERM_LENGTH = 64;

    private QueryTerms() {}

    /**
     * The distinct words of {@code text}, in order.
     *
     * @throws TooManyTermsException when it has more than {@code maxTerms} distinct words; counting stops there
     */
    static List<String> of(String text, int maxTerms) {
        Set<String> terms = new LinkedHashSet<>();
        StringBuilder word = new StringBuilder(MAX_TERM_LENGTH);
        int length = 0;
        for (int i = 0; i <= text.length(); ) {
            int c = i < text.length() ? text.codePointAt(i) : ' ';
            i += i < text.length() ? Character.charCount(c) : 1;
            if (Character.isLetterOrDigit(c)) {
                if (length < MAX_TERM_LENGTH) {
                    word.appendCodePoint(c);
                }
                length++;
            } else if (length > 0) {
                terms.add(cut(word.toString().toLowerCase(Locale.ROOT)));
                word.setLength(0);
                length = 0;
                if (terms.size() > maxTerms) {
                    throw new TooManyTermsException();
                }
            }
        }
        return new ArrayList<>(terms);
    }

    // Lower-casing may lengthen a word (U+0130 becomes two code points): cut again, as the stored side does.
    private static String cut(String term) {
        return term.codePointCount(0, term.length()) > MAX_TERM_LENGTH
                ? term.substring(0, term.offsetByCodePoints(0, MAX_TERM_LENGTH))
                : term;
    }

    static final class TooManyTermsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyTermsException() {
            super(null, null, false, false);
        }
    }
}
