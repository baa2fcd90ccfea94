// Self-service: an app's subscriptions, the subscription form with its backtest preview, deliveries and replays.
export const routes = [];

export const nav = [];
