package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StandaloneOptionsTest {
    @Test
    void shouldRunTheRouterWhenNotToldOtherwise() {
        StandaloneMain.Options options = StandaloneMain.Options.parse(new String[] {"--data-dir=/tmp/x"});

        assertThat(options.router()).isTrue();
        assertThat(options.routerPort()).isEqualTo(8082);
    }

    @Test
    void shouldLeaveTheRouterOutWhenRouterIsOff() {
        StandaloneMain.Options options = StandaloneMain.Options.parse(new String[] {"--router=off", "--x.y=z"});

        assertThat(options.router()).isFalse();
        assertThat(options.passThrough()).containsExactly("--x.y=z");
    }

    @Test
    void shouldRefuseARouterSettingThatIsNeitherOnNorOff() {
        assertThatThrownBy(() -> StandaloneMain.Options.parse(new String[] {"--router=maybe"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--router must be on or off, not 'maybe'");
    }
}
