// Events (admin): search, one event with its deliveries, stats charts.
export const routes = [];

export const nav = [];
