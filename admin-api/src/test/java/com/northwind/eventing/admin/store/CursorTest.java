package com.northwind.eventing.admin.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {
    @Test
    void shouldReadBackThePositionWhenCursorWasHandedOut() {
        // given
        Cursor cursor = new Cursor(1_796_000_000_123L, "0193f7c2-aaaa:b");

        // when
        Cursor read = Cursor.decode(cursor.encode());

        // then
        assertThat(read).isEqualTo(new Cursor(1_796_000_000_123L, "0193f7c2-aaaa:b"));
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!", "djE6MTIz", "djI6MTIzOmV2", "djE6YWJjOmV2", "djE6MTIzOg", "_w"})
    void shouldRefuseNamingCursorWhenCursorIsGarbled(String garbled) {
        // given a cursor this API never handed out

        // when / then
        assertThatThrownBy(() -> Cursor.decode(garbled)).isInstanceOfSatisfying(StoreParameterException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.parameter()).isEqualTo("cursor");
        });
    }
}
