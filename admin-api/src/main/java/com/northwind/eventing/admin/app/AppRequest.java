package com.northwind.eventing.admin.app;

import com.northwind.eventing.common.model.RateLimit;
import java.util.List;

/**
 * The body of {@code POST /v1/apps}.
 *
 * @param publish type patterns the app may publish, such as {@code Claim.*.*}
 * @param read classifications ({@code PHI}) or field paths ({@code /member/ssn}) the app may read unredacted
 * @param rateLimit the app's publish rate limit, or absent for the intake's default
 */
record AppRequest(String id, String team, List<String> publish, List<String> read, RateLimit rateLimit) {}
