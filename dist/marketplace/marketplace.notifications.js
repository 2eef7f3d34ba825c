import { registerNotificationKind } from "../notifications/index.js";
import { notify } from "../notifications/index.js";
/** Marketplace notification kinds and their default channel; messages live in marketplace.messages. */
const KINDS = {
    application_submitted: "inapp",
    application_approved: "email",
    application_rejected: "email",
    application_changes: "email",
    helper_suspended: "email",
    booking_requested: "email",
    booking_proposed: "email",
    booking_accepted: "email",
    booking_declined: "email",
    booking_cancelled: "email",
    booking_expired: "email",
    booking_reminder: "email",
    booking_message: "email",
    booking_completed: "email",
    review_received: "inapp",
    job_offered: "email",
    job_unassigned: "email",
};
for (const [kind, defaultChannel] of Object.entries(KINDS)) {
    registerNotificationKind({
        kind: `market.${kind}`,
        defaultChannel,
        message: `notify.market.${kind}`,
        label: `notify.kind.market.${kind}`,
    });
}
/** Sends a marketplace notification through the shared fan-out; pass the transaction of the change. */
export function tell(ctx, kind, notice) {
    return notify(ctx, {
        kind: `market.${kind}`,
        userIds: notice.userIds,
        communityId: notice.communityId,
        actorId: notice.actor?.id ?? null,
        eventKey: notice.eventKey,
        data: {
            title: notice.title,
            url: notice.url,
            actorName: notice.actor?.name,
            ...(notice.excerpt ? { excerpt: notice.excerpt } : {}),
        },
    });
}
