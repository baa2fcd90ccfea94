package com.northwind.eventing.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalPathTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/v1/apps",
                "/v1/apps/",
                "/subjects/eventing.firehose-value/versions",
                "/subjects/a%3Ab%20c%2Bd/versions",
                "/subjects/%C3%A9t%C3%A9-value",
                "/actuator/health/readiness",
                "/a..b/.c/d."
            })
    void shouldAcceptPathWhenItsStructureIsTheSameDecoded(String path) {
        // given the path

        // when
        String problem = CanonicalPath.problem(path);

        // then
        assertThat(problem).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1;x=1/apps | the request path has a ';' (path parameters are not accepted)",
                "/v1/apps; | the request path has a ';' (path parameters are not accepted)",
                "/v1//apps | the request path has an empty segment ('//')",
                "//v1/apps | the request path has an empty segment ('//')",
                "/v1\\apps | the request path has a backslash",
                "/v1/./apps | the request path has a dot segment ('.')",
                "/v1/../v1/apps | the request path has a dot segment ('..')",
                "/v1/apps/.. | the request path has a dot segment ('..')",
                "/%76%31/apps | the request path has %76, an escape of 'v', which must be sent unescaped",
                "/v1/%2e%2e/apps | the request path has %2e, an escape of '.', which must be sent unescaped",
                "/v1/app%73 | the request path has %73, an escape of 's', which must be sent unescaped",
                "/v1%2Fapps | the request path has %2F, an escape of '/', which is never accepted in a path",
                "/v1%5capps | the request path has %5c, an escape of '\\', which is never accepted in a path",
                "/v1%3Bx/apps | the request path has %3B, an escape of ';', which is never accepted in a path",
                "/v1/%2541 | the request path has %25, an escape of '%', which is never accepted in a path",
                "/v1/%00 | the request path has an encoded NUL (%00)",
                "/v1/%0a | the request path has an encoded control character (%0a)",
                "/v1/%7F | the request path has an encoded control character (%7F)",
                "/v1/%zz | the request path has a malformed percent-escape at position 4",
                "/v1/apps% | the request path has a malformed percent-escape at position 8",
                "/v1/a%4 | the request path has a malformed percent-escape at position 5",
                "v1/apps | the request path must start with '/'"
            })
    void shouldRefuseAndNameWhatIsWrongWhenPathIsNotCanonical(String path, String expected) {
        // given the path

        // when
        String problem = CanonicalPath.problem(path);

        // then
        assertThat(problem).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/\u0000", "/v1/a\tb", "/v1/a b", "/v1/\u00e9", "/v1/\u007f"})
    void shouldRefuseWhenPathHasControlCharacterSpaceOrNonAsciiByte(String path) {
        // given the path

        // when
        String problem = CanonicalPath.problem(path);

        // then
        assertThat(problem).startsWith("the request path has a control character, a space or a byte outside ASCII");
    }
}
