package com.northwind.eventing.admin.backtest;

import com.northwind.eventing.admin.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/subscriptions/backtest}: what a draft subscription would have received, from the event store. */
@RestController
class BacktestController {
    private final Backtests backtests;

    BacktestController(Backtests backtests) {
        this.backtests = backtests;
    }

    @PostMapping(path = "/v1/subscriptions/backtest", consumes = "application/json", produces = "application/json")
    Backtests.Result backtest(@RequestBody BacktestRequest request, HttpServletRequest http) {
        if (request.subscription() != null && request.subscription().app() != null) {
            // A draft without an app is refused by the draft's own checks (422 naming /subscription/app).
            Caller.of(http).requireMayActFor(request.subscription().app(), "backtest subscriptions");
        }
        return backtests.run(request);
    }
}
