package com.northwind.eventing.common.jsonschema;

import java.util.Optional;
import java.util.regex.Pattern;
import org.everit.json.schema.regexp.JavaUtilRegexpFactory;
import org.everit.json.schema.regexp.Regexp;
import org.everit.json.schema.regexp.RegexpFactory;
import org.everit.json.schema.regexp.RegexpMatchingFailure;

/**
 * {@code pattern} and {@code patternProperties} as everit compiles them by default (java.util.regex, matched with
 * {@code find}), matched against a view of the string that asks the running validation's {@link Deadline} every
 * {@link #CHARS_PER_CHECK} characters read: a catastrophic pattern ({@code ^(a+)+$} against a run of {@code a} and a
 * {@code !}) reads characters billions of times, so it meets its deadline within microseconds of passing it.
 */
final class TimedRegexps implements RegexpFactory {
    static final int CHARS_PER_CHECK = 1024;

    /**
     * everit's value for "no match". Its constructor is package-private; everit's own java.util.regex handler gives
     * one for a pattern that matches nothing.
     */
    private static final Optional<RegexpMatchingFailure> NO_MATCH =
            new JavaUtilRegexpFactory().createHandler("(?!)").patternMatchingFailure("");

    @Override
    public Regexp createHandler(String regexp) {
        return new TimedRegexp(Pattern.compile(regexp));
    }

    private record TimedRegexp(Pattern pattern) implements Regexp {
        @Override
        public Optional<RegexpMatchingFailure> patternMatchingFailure(String input) {
            Deadline deadline = Deadline.current();
            CharSequence text = deadline == null ? input : new TimedChars(input, deadline);
            return pattern.matcher(text).find() ? Optional.empty() : NO_MATCH;
        }

        // everit keys patternProperties by their regexps and names them in its messages: by the pattern's text.
        @Override
        public boolean equals(Object o) {
            return o instanceof TimedRegexp r && r.pattern.pattern().equals(pattern.pattern());
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }

        @Override
        public String toString() {
            return pattern.pattern();
        }
    }

    /** A string whose characters, read, count towards asking the deadline. */
    private static final class TimedChars implements CharSequence {
        private final String text;
        private final Deadline deadline;
        private int reads;

        TimedChars(String text, Deadline deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if (++reads == CHARS_PER_CHECK) {
                reads = 0;
                deadline.check();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new TimedChars(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
