package com.northwind.eventing.common.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words a stored event is found by, and the words of a search: lower-cased ({@link Locale#ROOT}) runs of letters
 * and digits, every other character a separator. The store document's {@code searchTerms} and the search API's
 * {@code q} are tokenized by this one class, so a word matches exactly when both sides cut it the same way.
 *
 * <p>A collection of terms keeps them distinct, in first-seen order, cuts each to {@value #MAX_TERM_LENGTH} characters
 * (code points) and takes at most {@value #MAX_TERMS}; text after the last term that fits is ignored.
 */
public final class SearchTerms {
    /** The longest term, in code points; a longer word is cut to this length on both sides. */
    public static final int MAX_TERM_LENGTH = 64;

    /** The most terms one document holds. */
    public static final int MAX_TERMS = 512;

    private final List<String> terms = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final StringBuilder word = new StringBuilder(MAX_TERM_LENGTH);

    /** An empty collection, for one document. */
    public SearchTerms() {}

    /** The distinct terms of a text, in order, as a search for it matches them. */
    public static List<String> of(String text) {
        SearchTerms t = new SearchTerms();
        t.add(text);
        return t.terms();
    }

    /** Adds the terms of a text; null adds nothing. */
    public void add(String text) {
        if (text == null || isFull()) {
            return;
        }
        int length = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c)) {
                if (length < MAX_TERM_LENGTH) {
                    word.appendCodePoint(c);
                }
                length++;
            } else if (length > 0) {
                flush();
                length = 0;
                if (isFull()) {
                    return;
                }
            }
        }
        if (length > 0) {
            flush();
        }
    }

    private void flush() {
        String term = word.toString().toLowerCase(Locale.ROOT);
        word.setLength(0);
        // Lower-casing may lengthen a word (U+0130 becomes two code points): cut again, so both sides agree.
        if (term.codePointCount(0, term.length()) > MAX_TERM_LENGTH) {
            term = term.substring(0, term.offsetByCodePoints(0, MAX_TERM_LENGTH));
        }
        if (seen.add(term)) {
            terms.add(term);
        }
    }

    /** Whether no more terms fit. */
    public boolean isFull() {
        return terms.size() >= MAX_TERMS;
    }

    /** The terms so far, in first-seen order. */
    public List<String> terms() {
        return List.copyOf(terms);
    }

    /** How many terms there are so far. */
    public int size() {
        return terms.size();
    }

    /** The term at an index, for writing them out without a copy. */
    public String get(int index) {
        return terms.get(index);
    }
}
