export const CHANNELS = ["inapp", "email", "daily", "weekly", "off"];
const kinds = new Map();
/** The one call other domains use to add a kind (routing, escalation, marketplace...). */
export function registerNotificationKind(kind) {
    kinds.set(kind.kind, kind);
}
export function notificationKind(kind) {
    return kinds.get(kind);
}
export function notificationKinds() {
    return [...kinds.values()];
}
const core = [
    ["reply", "email"],
    ["comment", "inapp"],
    ["accepted", "email"],
    ["mention", "email"],
    ["followed_answered", "daily"],
    ["followed_solved", "email"],
    ["routed", "email"],
    ["escalated", "email"],
    ["moderation", "email"],
];
for (const [kind, defaultChannel] of core) {
    registerNotificationKind({
        kind,
        defaultChannel,
        message: `notify.${kind}`,
        label: `notify.kind.${kind}`,
    });
}
