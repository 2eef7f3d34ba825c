import assert from "node:assert/strict";
import {
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { recordDeflectionEvent } from "../../src/search/deflection.service.ts";

/** Zurich in January is UTC+1: local time = UTC + 1 h. */
export const utc = (day: number, hour: number, minute = 0) => Date.UTC(2026, 0, day, hour, minute);

/**
 * A small history whose figures were computed by hand (see insights.test.ts), in a community whose
 * days begin in Europe/Zurich. Times are UTC; the comments give the local time.
 */
export async function buildInsightsFixture(env: TestEnv) {
  env.clock.set(utc(5, 12));
  const built = await buildCommunity(env, {
    categories: ["Internet", "TV"],
    members: { member: 3, staff: 1, moderator: 1 },
  });
  const { slug, admin, categories, members } = built;
  const [internet, tv] = categories;
  const [asker, helper, other] = members.member;
  const [staff] = members.staff;
  const [moderator] = members.moderator;
  const put = await env.api.put(
    `/api/v1/communities/${slug}/insights/settings`,
    { timezone: "Europe/Zurich", costPerContactCents: 1500, currency: "EUR" },
    admin.auth,
  );
  assert.equal(put.status, 200, JSON.stringify(put.body));

  const at = (ms: number) => env.clock.set(ms);
  const post = (author: TestUser, props: Record<string, unknown>) => buildTopic(env, slug, author, props);

  // Previous period: 01-09 23:50 local.
  at(utc(9, 22, 50));
  const p1 = await post(asker, { title: "Router is slow since the update", tags: ["wifi"], categoryId: internet.id });

  // T1, 01-10 00:30 local (still 01-09 in UTC): the asker's own reply is no answer; the helper's, 60 min later, is.
  at(utc(9, 23, 30));
  const t1 = await post(asker, { title: "Router blinks red at night", tags: ["wifi"], categoryId: internet.id });
  at(utc(9, 23, 40));
  await buildReply(env, t1.id, asker, "Forgot to say: the light is red.");
  at(utc(10, 0, 30));
  const t1Answer = await buildReply(env, t1.id, helper, "Replace the power supply.");
  at(utc(10, 1));
  assert.equal(
    (await env.api.post(`/api/v1/topics/${t1.id}/accept`, { replyId: t1Answer.id }, asker.auth)).status,
    200,
  );

  // T2, 01-10 10:00 local: the helper's reply after 30 min is hidden later; staff answered after 120 min.
  at(utc(10, 9));
  const t2 = await post(asker, {
    title: "Router drops the connection",
    tags: ["wifi", "router"],
    categoryId: internet.id,
  });
  at(utc(10, 9, 30));
  const t2Hidden = await buildReply(env, t2.id, helper, "Try another channel.");
  at(utc(10, 11));
  await buildReply(env, t2.id, staff, "We changed a setting on our side.");
  at(utc(10, 11));
  const newcomer = await buildUser(env, { name: "Newcomer" });
  await addMember(env, built.community.id, newcomer.id, "member");
  // The visit opened a suggestion and posted nothing: one deflected contact; a search and a suggestion shown.
  for (const [type, minute] of [
    ["search_shown", 58],
    ["suggestion_shown", 59],
  ] as const) {
    at(utc(10, 10, minute));
    await recordDeflectionEvent(env.deps, {
      communityId: built.community.id,
      type,
      visitId: "visit-insights01",
      userId: null,
    });
  }
  at(utc(10, 11));
  await recordDeflectionEvent(env.deps, {
    communityId: built.community.id,
    type: "suggestion_opened",
    visitId: "visit-insights01",
    userId: null,
    topicId: t1.id,
  });

  // T3, 01-11 08:00 local, a problem posted in TV and moved to Internet; its only reply is deleted later.
  at(utc(11, 7));
  const t3 = await post(asker, {
    kind: "problem",
    title: "Decoder freezes every morning",
    tags: ["decoder"],
    categoryId: tv.id,
  });
  at(utc(11, 7, 20));
  const t3Deleted = await buildReply(env, t3.id, other, "Unplug it for a minute.");
  assert.equal(
    (await env.api.post(`/api/v1/topics/${t3.id}/move`, { categoryId: internet.id }, moderator.auth)).status,
    200,
  );

  // T4, an idea; T5, a question only its asker replied to, escalated by staff.
  at(utc(11, 11));
  await post(helper, { kind: "idea", title: "Dark mode for the TV guide", categoryId: tv.id });
  at(utc(11, 19));
  const t5 = await post(other, { title: "Invoice missing this month", tags: ["billing"], categoryId: tv.id });
  at(utc(11, 19, 10));
  await buildReply(env, t5.id, other, "It was due on the 5th.");
  at(utc(11, 19, 30));
  const escalated = await env.api.post(`/api/v1/topics/${t5.id}/escalate`, {}, staff.auth);
  assert.equal(escalated.status, 200, JSON.stringify(escalated.body));

  // A reward worth 5.00 fulfilled on 01-11.
  const reward = await env.deps.db
    .insertInto("rewards")
    .values({
      communityId: built.community.id,
      name: "T-shirt",
      description: "",
      price: 100,
      valueCents: 500,
      stock: null,
      active: 1,
      createdAt: utc(5, 12),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await env.deps.db
    .insertInto("rewardRedemptions")
    .values({
      rewardId: reward.id,
      communityId: built.community.id,
      userId: helper.id,
      price: 100,
      status: "fulfilled",
      idempotencyKey: null,
      note: "",
      createdAt: utc(11, 18),
      decidedAt: utc(11, 20),
      decidedBy: staff.id,
    })
    .execute();

  // Routing: T1 was offered to the helper, who answered; T5 to the helper too, who did not.
  await env.deps.db
    .insertInto("topicRoutes")
    .values([
      {
        topicId: t1.id,
        userId: helper.id,
        communityId: built.community.id,
        round: 1,
        routedAt: utc(9, 23, 31),
        answeredAt: utc(10, 0, 30),
        expiredAt: null,
      },
      {
        topicId: t5.id,
        userId: helper.id,
        communityId: built.community.id,
        round: 1,
        routedAt: utc(11, 19, 1),
        answeredAt: null,
        expiredAt: null,
      },
    ])
    .execute();

  // Marketplace: three bookings in the range (one completed, paid and rated 5, one cancelled), one before it.
  const service = (name: string, categoryId: number) =>
    env.deps.db
      .insertInto("services")
      .values({
        communityId: built.community.id,
        name,
        description: "",
        maxPriceCents: 10_000,
        requiredCourseId: null,
        categoryId,
        createdAt: utc(5, 12),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  const routerSetup = await service("Router setup", internet.id);
  const tvSetup = await service("TV setup", tv.id);
  const booking = async (
    serviceId: number,
    helperId: number,
    status: "completed" | "cancelled" | "requested",
    createdAt: number,
  ) =>
    (
      await env.deps.db
        .insertInto("bookings")
        .values({
          communityId: built.community.id,
          offerId: null,
          jobRequestId: null,
          serviceId,
          helperId,
          customerId: asker.id,
          startsAt: createdAt + 86_400_000,
          endsAt: createdAt + 86_400_000 + 3_600_000,
          description: "",
          address: "",
          phone: "",
          status,
          awaiting: "helper",
          respondBy: createdAt + 3_600_000,
          priceCents: 6000,
          priceUnit: "fixed",
          currency: "CHF",
          reason: null,
          cancelledBy: null,
          lateCancellation: 0,
          createdAt,
          updatedAt: createdAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const review = (bookingId: number, helperId: number, rating: number, createdAt: number) =>
    env.deps.db
      .insertInto("reviews")
      .values({
        bookingId,
        communityId: built.community.id,
        helperId,
        customerId: asker.id,
        rating,
        text: "",
        response: null,
        respondedAt: null,
        flagCount: 0,
        createdAt,
      })
      .execute();
  const completed = await booking(routerSetup.id, helper.id, "completed", utc(10, 12));
  await env.deps.db
    .insertInto("payments")
    .values({
      bookingId: completed,
      communityId: built.community.id,
      helperId: helper.id,
      method: "cash",
      amountCents: 6000,
      feePercent: 20,
      feeCents: 1200,
      currency: "CHF",
      reference: null,
      recordedAt: utc(11, 10),
      confirmedAt: null,
    })
    .execute();
  await review(completed, helper.id, 5, utc(11, 12));
  await booking(routerSetup.id, other.id, "cancelled", utc(11, 8));
  await booking(tvSetup.id, helper.id, "requested", utc(11, 9));
  await review(await booking(tvSetup.id, other.id, "completed", utc(9, 12)), other.id, 1, utc(9, 13));

  // T6, 01-12 00:10 local: after the range, though still 01-11 in UTC.
  at(utc(11, 23, 10));
  await post(asker, { title: "Router reboots by itself", tags: ["router"], categoryId: internet.id });

  // Later: the helper's reply to T2 is hidden, the reply to T3 deleted, T2 abandoned.
  at(utc(12, 9));
  assert.equal((await env.api.post(`/api/v1/posts/reply/${t2Hidden.id}/hide`, {}, moderator.auth)).status, 200);
  await env.deps.db.updateTable("replies").set({ moderationState: "deleted" }).where("id", "=", t3Deleted.id).execute();
  await env.deps.db
    .updateTable("topics")
    .set({ abandonedAt: utc(12, 9) })
    .where("id", "=", t2.id)
    .execute();

  return {
    ...built,
    internet,
    tv,
    routerSetup,
    tvSetup,
    asker,
    helper,
    other,
    staff,
    moderator,
    newcomer,
    p1,
    t1,
    t2,
    t3,
    t5,
  };
}
