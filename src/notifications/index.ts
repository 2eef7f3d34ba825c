/**
 * The public module of the notifications domain: what other domains may use of it. Everything else in
 * src/notifications/ is its own business (the composition root, src/app, may wire any of it).
 */
export { notify } from "./notifications.fanout.ts";
export { registerNotificationAudience, registerNotificationKind } from "./notifications.kinds.ts";
export { queueEmail } from "./notifications.delivery.ts";
export type { ShownWhile } from "./notifications.visibility.ts";
