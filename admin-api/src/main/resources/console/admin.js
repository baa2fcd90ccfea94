// Platform administration: event types and apps registered, dead letters, approvals, the audit log and the API documents.
export const routes = [];

export const nav = [];
