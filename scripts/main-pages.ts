import type { Db } from "../src/db/database.ts";
import { DEMO_HELPER_EMAILS } from "../src/marketplace/marketplace.seed.ts";

/**
 * The main pages of the demo community, by who sees them: checked for accessibility by
 * test/web/accessibility.test.ts and photographed and weighed by scripts/screenshots.ts.
 */
export type Role = "anonymous" | "member" | "helper" | "staff" | "admin";

export const DEMO_EMAILS: Record<Exclude<Role, "anonymous">, string> = {
  member: "alice@demo.test",
  helper: DEMO_HELPER_EMAILS[0],
  staff: "staff@demo.test",
  admin: "admin@demo.test",
};

/** The demo's busiest topic, Alice's profile and the booking form of an offer, whose ids the seed chose. */
export async function demoPaths(db: Db): Promise<{ topic: string; profile: string; booking: string }> {
  const topic = await db.selectFrom("topics").select("id").orderBy("replyCount", "desc").executeTakeFirstOrThrow();
  const alice = await db
    .selectFrom("users")
    .select("id")
    .where("email", "=", DEMO_EMAILS.member)
    .executeTakeFirstOrThrow();
  const offer = await db.selectFrom("offers").select("id").orderBy("id").executeTakeFirstOrThrow();
  return {
    topic: `/c/demo/t/${topic.id}`,
    profile: `/c/demo/u/${alice.id}`,
    booking: `/c/demo/offers/${offer.id}/book`,
  };
}

/** The main pages each kind of visitor sees, on the demo community. */
export function mainPages(ids: { topic: string; profile: string; booking: string }): Record<Role, string[]> {
  return {
    anonymous: [
      "/",
      "/c/demo",
      ids.topic,
      "/c/demo/search?q=wifi",
      "/c/demo/ideas",
      "/c/demo/kb",
      "/c/demo/service-friends",
      "/c/demo/academy",
      "/c/demo/leaderboard",
      ids.profile,
      "/login",
      "/signup",
      "/password-reset",
    ],
    member: [
      "/c/demo",
      ids.topic,
      "/c/demo/new",
      "/me/account",
      "/me/notifications",
      "/c/demo/rewards",
      ids.booking,
      "/c/demo/service-friends/request",
    ],
    helper: ["/c/demo/service-friends", "/c/demo/service-friends/mine"],
    staff: ["/c/demo/staff", "/c/demo/insights", "/c/demo/service-friends/staff"],
    admin: [
      "/c/demo",
      ids.topic,
      "/c/demo/settings",
      "/c/demo/review-queue",
      "/c/demo/members",
      "/c/demo/audit",
      "/c/demo/admin/support",
    ],
  };
}
