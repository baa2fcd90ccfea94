package com.northwind.eventing.admin.replay;

import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/replays}. Members are read as JSON values and checked by {@link ReplaySelection}, so that
 * each refusal names its member; an unknown member is refused by the mapper, as for every admin request.
 *
 * @param from the first receive time replayed (inclusive), ISO-8601 with an offset
 * @param to the end of the range (exclusive); now when absent
 * @param filter search parameters ({@code type}, {@code tag}, {@code synthetic}, {@code producerApp},
 *     {@code transactionId}, {@code userId}, {@code q}, {@code where}) with the event search's meaning
 * @param ratePerSecond events written to the replay topic per second, 1 to 50,000; 1,000 when absent
 */
record ReplayRequest(String subscription, JsonNode from, JsonNode to, JsonNode filter, JsonNode ratePerSecond) {}
