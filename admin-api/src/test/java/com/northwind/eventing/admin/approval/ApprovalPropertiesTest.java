package com.northwind.eventing.admin.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApprovalPropertiesTest {
    @Test
    void shouldCreateSubscriptionsDirectlyAndAllowTwentyPendingWhenNothingIsSet() {
        // given
        ApprovalProperties p = new ApprovalProperties(false, null);

        // when
        int maxPending = p.maxPendingPerApp();

        // then
        assertThat(p.subscriptions()).isFalse();
        assertThat(maxPending).isEqualTo(20);
    }

    @Test
    void shouldRefuseAPendingCapOutsideOneToAThousandWhenSet() {
        // given
        String message = "eventing.approvals.max-pending-per-app must be 1 to 1000";

        // when / then
        assertThatThrownBy(() -> new ApprovalProperties(true, 0)).hasMessage(message);
        assertThatThrownBy(() -> new ApprovalProperties(true, 1001)).hasMessage(message);
    }
}
