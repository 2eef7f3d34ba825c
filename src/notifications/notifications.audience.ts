import type { Actor, Deps } from "../core/deps.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { validationFailed } from "../core/errors.ts";
import {
  audienceCheck,
  notificationKind,
  notificationKinds,
  registerNotificationAudience,
  type NotificationAudience,
  type NotificationKind,
} from "./notifications.kinds.ts";
import { getPreferences, setPreferences } from "./notifications.service.ts";

/** Staff, moderators and admins of any community are "staff" (who the staff-only kinds reach). */
registerNotificationAudience("staff", async (deps, userId) => {
  const row = await deps.db
    .selectFrom("memberships")
    .select("userId")
    .where("userId", "=", userId)
    .where("role", "in", ["staff", "moderator", "admin"])
    .executeTakeFirst();
  return row !== undefined;
});

/** The audiences a member belongs to; a platform admin belongs to all of them. */
async function audiencesOf(deps: Deps, actor: Actor): Promise<Set<NotificationAudience>> {
  const audiences = new Set<NotificationAudience>(["member"]);
  for (const audience of ["staff", "helper"] as const) {
    const check = audienceCheck(audience);
    if (actor.isPlatformAdmin || !check || (await check(deps, actor.id))) audiences.add(audience);
  }
  return audiences;
}

/** The kinds a member may see and choose a channel for: every member's, and staff's or helpers' when they are. */
export async function kindsFor(deps: Deps, actor: Actor): Promise<NotificationKind[]> {
  const audiences = await audiencesOf(deps, actor);
  return notificationKinds().filter((k) => audiences.has(k.audience ?? "member"));
}

/** The member's channel per kind, for the kinds they may see. */
export async function preferencesFor(deps: Deps, actor: Actor) {
  const visible = new Set((await kindsFor(deps, actor)).map((k) => k.kind));
  return (await getPreferences(deps, actor.id)).filter((p) => visible.has(p.kind));
}

/**
 * Changes the member's channels. A kind they may not see is refused like an unknown one (422), so
 * the API cannot set what the settings page does not show; the form leaves such fields out first.
 */
export async function setPreferencesFor(deps: Deps, actor: Actor, preferences: Record<string, NotificationChannel>) {
  const visible = new Set((await kindsFor(deps, actor)).map((k) => k.kind));
  const refused = Object.keys(preferences).filter((kind) => notificationKind(kind) && !visible.has(kind));
  if (refused.length)
    throw validationFailed(
      Object.fromEntries(refused.map((k) => [`preferences.${k}`, "This kind of notification is not for you."])),
    );
  await setPreferences(deps, actor.id, preferences);
  return preferencesFor(deps, actor);
}
