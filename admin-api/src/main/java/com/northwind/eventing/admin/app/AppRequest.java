package com.northwind.eventing.admin.app;

import java.util.List;

/**
 * The body of {@code POST /v1/apps}.
 *
 * @param publish type patterns the app may publish, such as {@code Claim.*.*}
 * @param read classifications ({@code PHI}) or field paths ({@code /member/ssn}) the app may read unredacted
 */
record AppRequest(String id, String team, List<String> publish, List<String> read) {}
