import { test } from "node:test";
import assert from "node:assert/strict";
import {
  approveHeldPost,
  buildCommunity,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { recordDeflectionEvent, recordTopicPosted } from "../../src/search/deflection.service.ts";
import { postIndexed, roomyLimits } from "./support.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse } from "../web/web-helpers.ts";
import { createSession } from "../../src/accounts/index.ts";
import { DEFLECTION_TOKEN_TTL_MS, issueDeflectionToken } from "../../src/search/deflection.token.ts";
import { searchSubscribers } from "../../src/search/search.subscribers.ts";
import type { Subscriber } from "../../src/jobs/events.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

let queries = 0;

/**
 * Sends events as the pages do, each with the token of a list of its own (a new query, listing
 * what the event opens), so only the tests of tokens and deduplication meet their rules.
 */
function events(env: TestEnv, slug: string) {
  return async (
    type: string,
    visitId: string,
    extra: { topicId?: number; articleId?: number } = {},
    auth: TestUser["auth"] | null = null,
  ) => {
    const community = await env.deps.db
      .selectFrom("communities")
      .select("id")
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    const kind = type === "result_opened" || type === "search_shown" ? "search" : "suggestions";
    const shown = { communityId: community.id, kind, query: `query ${++queries}`, items: [extra] } as const;
    const token = await issueDeflectionToken(env.deps.db, shown, env.clock.now());
    return env.api.post(`/api/v1/communities/${slug}/deflection-events`, { type, visitId, token, ...extra }, auth);
  };
}

async function stats(env: TestEnv, slug: string, user: TestUser, range: Record<string, string> = {}) {
  const res = await env.api.get(
    `/api/v1/communities/${slug}/stats/deflection?${new URLSearchParams(range)}`,
    user.auth,
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describeEachDatabase(
  "deflection events",
  (env) => {
    test("recording: no login needed, validated, private communities hidden", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await postIndexed(env(), slug, asker, helper, { title: "Question to open later" });
      const send = events(env(), slug);
      const ok = await send("suggestion_shown", "visit-aaaa1111");
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal((await send("result_opened", "visit-aaaa1111", { topicId: topic.id })).status, 201);
      assert.equal((await send("topic_posted", "visit-aaaa1111", { topicId: topic.id }, asker.auth)).status, 201);
      assert.equal((await send("clicked", "visit-aaaa1111")).status, 422);
      assert.equal((await send("suggestion_shown", "short")).status, 422);
      assert.equal((await send("suggestion_shown", "bad visit id!")).status, 422);
      assert.equal(
        (await env().api.post(`/api/v1/communities/${slug}/deflection-events`, { type: "suggestion_shown" })).status,
        422,
        "visitId required",
      );
      const other = await buildCommunity(env(), { members: { member: 2 } });
      const foreign = await postIndexed(env(), other.slug, other.members.member[0], other.members.member[1], {
        title: "Someone else's question",
      });
      assert.equal(
        (await send("result_opened", "visit-aaaa1111", { topicId: foreign.id })).status,
        422,
        "a topic of another community",
      );
      const secret = await buildCommunity(env(), { visibility: "private" });
      assert.equal((await events(env(), secret.slug)("suggestion_shown", "visit-aaaa1111")).status, 404);
      const rows = await env()
        .deps.db.selectFrom("deflectionEvents")
        .selectAll()
        .where("communityId", "=", community.id)
        .orderBy("id")
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.type, r.visitId, r.userId]),
        [
          ["topic_posted", null, asker.id], // recorded by the server when the setup posted the topic
          ["suggestion_shown", "visit-aaaa1111", null],
          ["result_opened", "visit-aaaa1111", null],
          ["topic_posted", "visit-aaaa1111", asker.id],
        ],
      );
      assert.equal(Object.keys(rows[0]).includes("ip"), false, "no personal data beyond ids");
    });

    test("a visit that opened a suggestion or solved result and posted nothing within 30 minutes is one deflected contact", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "Solved one here",
        replies: ["Answer."],
        accept: 0,
      });
      const open = await postIndexed(env(), slug, asker, helper, { title: "Still open one here" });
      const send = events(env(), slug);
      const start = Date.UTC(2026, 2, 10, 9, 0);
      env().clock.set(start);
      await send("suggestion_shown", "visit-deflected1");
      await send("suggestion_opened", "visit-deflected1", { topicId: solved.id });
      await send("suggestion_opened", "visit-posted0001", { topicId: solved.id });
      await send("result_opened", "visit-solvedres1", { topicId: solved.id });
      await send("result_opened", "visit-unsolved01", { topicId: open.id });
      await send("result_opened", "visit-late000001", { topicId: solved.id });
      await send("suggestion_opened", "visit-again00001", { topicId: open.id });
      env().clock.advance(10 * MINUTE);
      await send("topic_posted", "visit-posted0001");
      await send("suggestion_opened", "visit-again00001", { topicId: open.id });
      // A member's server-side post (no visit id) answers opens made under their member id.
      await send("suggestion_opened", "visit-member0001", { topicId: solved.id }, asker.auth);
      await recordDeflectionEvent(env().deps, {
        communityId: community.id,
        type: "topic_posted",
        visitId: null,
        userId: asker.id,
      });
      await send("suggestion_opened", "visit-formpost01", { topicId: solved.id });
      // A topic posted through the new-topic form, which carried the visit id.
      // A session of today (the one made with the member has expired by this date).
      const today = { ...helper, cookie: `cs_session=${await createSession(env().deps, helper.id)}` };
      const posted = await (await browse(env(), today)).submit(`/c/${slug}/new`, {
        kind: "question",
        title: "Posted from the form",
        body: "Details follow.",
        visitId: "visit-formpost01",
      });
      assert.equal(posted.status, 303);
      await drainJobs(env());
      const formPostId = Number(/\/t\/(\d+)/.exec(String(posted.headers.location))![1]);
      // Recorded again (a delivery run twice), now without a valid visit: still the one post.
      await recordTopicPosted(env().deps, {
        communityId: community.id,
        topicId: formPostId,
        userId: helper.id,
        visitId: "not valid!",
      });

      const early = await stats(env(), slug, admin, { from: "2026-03-10", to: "2026-03-10" });
      assert.equal(early.days[0].deflected, 0, "nothing is settled before 30 minutes have passed");

      env().clock.advance(35 * MINUTE);
      await send("topic_posted", "visit-late000001");
      // visit-again00001 opened at 9:00 and 9:10: a post at 9:45 is 35 minutes after its last open.
      await send("topic_posted", "visit-again00001");
      const body = await stats(env(), slug, admin, { from: "2026-03-10", to: "2026-03-10" });
      assert.deepEqual(body.days, [
        {
          date: "2026-03-10",
          searches: 0,
          suggestionsShown: 1,
          suggestionsOpened: 6,
          resultsOpened: 3,
          // The form's post, recorded again without a (valid) visit, is the one its posting recorded: once.
          topicsPosted: 5,
          deflected: 4,
        },
      ]);
      // deflected: visit-deflected1, visit-solvedres1, visit-late000001 (posted after 45 min), visit-again00001 (35 min after its last open).
      assert.equal(body.totals.deflected, 4);
    });

    test("counts per day, default range, and the range rules", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "Solved for the days",
        replies: ["Answer."],
        accept: 0,
      });
      const send = events(env(), slug);
      env().clock.set(Date.UTC(2026, 3, 1, 23, 50));
      await send("suggestion_opened", "visit-day1-late", { topicId: solved.id });
      await send("suggestion_shown", "visit-day1-late");
      env().clock.set(Date.UTC(2026, 3, 2, 0, 10));
      await send("suggestion_shown", "visit-day2-0001");
      await send("suggestion_shown", "visit-day2-0002");
      await send("topic_posted", "visit-day2-0002");
      env().clock.set(Date.UTC(2026, 3, 3, 12, 0));
      const body = await stats(env(), slug, admin, { from: "2026-04-01", to: "2026-04-03" });
      assert.deepEqual(
        body.days.map((d: any) => [d.date, d.suggestionsShown, d.suggestionsOpened, d.topicsPosted, d.deflected]),
        [
          ["2026-04-01", 1, 1, 0, 1],
          ["2026-04-02", 2, 0, 1, 0],
          ["2026-04-03", 0, 0, 0, 0],
        ],
      );
      const recent = await stats(env(), slug, admin);
      assert.equal(recent.days.length, 30);
      assert.equal(recent.to, "2026-04-03");
      assert.equal(recent.from, "2026-03-05");
      const bad = async (range: Record<string, string>) =>
        (await env().api.get(`/api/v1/communities/${slug}/stats/deflection?${new URLSearchParams(range)}`, admin.auth))
          .status;
      assert.equal(await bad({ from: "2026-04-03", to: "2026-04-01" }), 422);
      assert.equal(await bad({ from: "2024-01-01", to: "2026-04-01" }), 422, "over a year");
      assert.equal(await bad({ from: "2026-02-31" }), 422);
      assert.equal(await bad({ from: "yesterday" }), 422);
    });

    test("statistics are for staff and admins of the community", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1, moderator: 1 } });
      const outsider = await buildUser(env());
      const get = (auth: TestUser["auth"] | null) =>
        env().api.get(`/api/v1/communities/${slug}/stats/deflection`, auth);
      assert.equal((await get(null)).status, 401);
      assert.equal((await get(outsider.auth)).status, 403);
      assert.equal((await get(members.member[0].auth)).status, 403);
      for (const auth of [members.staff[0].auth, members.moderator[0].auth, admin.auth])
        assert.equal((await get(auth)).status, 200);
      const secret = await buildCommunity(env(), { visibility: "private" });
      assert.equal(
        (await env().api.get(`/api/v1/communities/${secret.slug}/stats/deflection`, outsider.auth)).status,
        404,
      );
    });

    test("an event must echo the signed token of the search or suggestions shown, and counts once per visit and query", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "Router blinks red after the update",
        replies: ["Replace the power supply."],
        accept: 0,
      });
      const other = await postIndexed(env(), slug, asker, helper, { title: "Invoice copy for March" });
      env().clock.set(Date.UTC(2026, 4, 4, 9));
      const post = (body: Record<string, unknown>) =>
        env().api.post(`/api/v1/communities/${slug}/deflection-events`, { visitId: "visit-token0001", ...body });
      const refused = async (body: Record<string, unknown>) => {
        const res = await post(body);
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.deepEqual(Object.keys(res.body.error.fields), ["token"]);
      };

      const found = await env().api.get(`/api/v1/communities/${slug}/search?q=router+blinks`);
      assert.equal(found.status, 200);
      const token = found.body.deflectionToken as string;
      assert.equal(typeof token, "string");
      assert.deepEqual(
        found.body.results.map((r: { topic: { id: number } }) => r.topic.id),
        [solved.id],
      );
      assert.equal((await post({ type: "search_shown", token })).status, 201);
      assert.equal((await post({ type: "search_shown", token })).status, 201, "a reload is accepted...");
      assert.equal((await post({ type: "result_opened", token, topicId: solved.id })).status, 201);
      assert.equal((await post({ type: "result_opened", token, topicId: solved.id })).status, 201);
      assert.equal(
        (await post({ type: "search_shown", token, visitId: "visit-token0002" })).status,
        201,
        "another visit",
      );
      await refused({ type: "search_shown" });
      await refused({ type: "result_opened", token, topicId: other.id });
      await refused({ type: "suggestion_opened", token, topicId: solved.id });
      await refused({ type: "search_shown", token: `${token.slice(0, -2)}xx` });
      await refused({ type: "search_shown", token: token.replace(/^\d+\./, `${community.id + 1}.`) });
      const elsewhere = await buildCommunity(env());
      const foreign = await env().api.get(`/api/v1/communities/${elsewhere.slug}/search?q=router`);
      await refused({ type: "search_shown", token: foreign.body.deflectionToken });

      const similar = await env().api.get(
        `/api/v1/communities/${slug}/similar?title=${encodeURIComponent("router blinks red")}`,
      );
      assert.equal(similar.status, 200);
      assert.ok(Array.isArray(similar.body));
      const suggestions = String(similar.headers["x-deflection-token"]);
      assert.equal((await post({ type: "suggestion_shown", token: suggestions })).status, 201);
      assert.equal((await post({ type: "suggestion_opened", token: suggestions, topicId: solved.id })).status, 201);
      await refused({ type: "search_shown", token: suggestions });

      env().clock.advance(DEFLECTION_TOKEN_TTL_MS + 1);
      await refused({ type: "suggestion_shown", token: suggestions, visitId: "visit-token0003" });

      const body = await stats(env(), slug, admin, { from: "2026-05-04", to: "2026-05-04" });
      assert.deepEqual(
        [body.totals.searches, body.totals.resultsOpened, body.totals.suggestionsShown, body.totals.suggestionsOpened],
        [2, 1, 1, 1],
        "the reload and the second click of the same visit and query count once",
      );
    });

    test("events are rate-limited per client", async () => {
      const { slug } = await buildCommunity(env());
      env().clock.advance(2 * MINUTE);
      const send = events(env(), slug);
      const statuses: number[] = [];
      for (let i = 0; i < 121; i++) statuses.push((await send("suggestion_shown", "visit-ratelimit")).status);
      assert.deepEqual([...new Set(statuses.slice(0, 120))], [201]);
      assert.equal(statuses[120], 429);
      env().clock.advance(DAY);
      assert.equal((await send("suggestion_shown", "visit-ratelimit")).status, 201, "a new window");
    });

    /**
     * A newcomer, whose first posts are held for review, opens a suggestion at 9:00 on `day` and asks
     * a question of their own 5 minutes later. The answered topic is posted the day before.
     */
    async function heldQuestionAfterSuggestion(day: number, visitId: string) {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, newbie] = members.member;
      env().clock.set(day - DAY);
      const answered = await postIndexed(env(), slug, asker, asker, { title: "Roaming charges explained" });
      const settings = await env().api.patch(
        `/api/v1/communities/${slug}/settings/moderation`,
        { approveFirstPosts: 1 },
        admin.auth,
      );
      assert.equal(settings.status, 200, JSON.stringify(settings.body));
      env().clock.set(day + 9 * 60 * MINUTE);
      const opened = await events(env(), slug)("suggestion_opened", visitId, { topicId: answered.id }, newbie.auth);
      assert.equal(opened.status, 201);
      env().clock.advance(5 * MINUTE);
      const held = await env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "question", title: "Roaming charges on my bill", body: "The suggestion did not cover it." },
        newbie.auth,
      );
      assert.equal(held.body.topic.moderationState, "pending");
      return { slug, admin, topicId: held.body.topic.id as number };
    }

    test("a question held for review counts as posted when the member posted it, not when it was approved", async () => {
      const { slug, admin, topicId } = await heldQuestionAfterSuggestion(Date.UTC(2026, 5, 8), "visit-heldpost1");
      // A moderator gets to the queue two hours later.
      env().clock.advance(2 * 60 * MINUTE);
      await approveHeldPost(env(), slug, admin, topicId);
      env().clock.advance(DAY);
      const body = await stats(env(), slug, admin, { from: "2026-06-08", to: "2026-06-08" });
      assert.equal(body.days[0].topicsPosted, 1);
      assert.equal(body.days[0].deflected, 0, "the member posted 5 minutes after opening the suggestion");
    });

    test("a question held for review and never approved was asked all the same: no deflection", async () => {
      const { slug, admin } = await heldQuestionAfterSuggestion(Date.UTC(2026, 6, 2), "visit-heldpost2");
      env().clock.advance(DAY);
      const body = await stats(env(), slug, admin, { from: "2026-07-02", to: "2026-07-02" });
      assert.equal(body.days[0].topicsPosted, 1, "still waiting in the review queue");
      assert.equal(body.days[0].deflected, 0, "the member asked: the suggestion did not deflect them");
    });

    test("a topic's post counts once, however often the delivery that records it runs", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
      const [asker] = members.member;
      env().clock.set(Date.UTC(2026, 4, 5, 9, 0));
      const posted = await env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "question", title: "Roaming data stopped abroad", body: "Details follow." },
        asker.auth,
      );
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const topicId: number = posted.body.topic.id;
      // Delivered at least once: the subscriber that recorded the post runs again, as a retried delivery does.
      const subscriber = searchSubscribers.find(
        (s) => s.name === "search.deflection.topicPosted",
      ) as Subscriber<"topic.submitted">;
      const payload = { topicId, communityId: community.id, authorId: asker.id, visitId: null };
      await subscriber.run(env().deps, payload);
      await subscriber.run(env().deps, payload);
      // A malformed visit id is no visit: the same post again.
      await subscriber.run(env().deps, { ...payload, visitId: "not valid!" });
      const rows = await env()
        .deps.db.selectFrom("deflectionEvents")
        .select(["visitId", "userId"])
        .where("communityId", "=", community.id)
        .where("type", "=", "topic_posted")
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.visitId, r.userId]),
        [[null, asker.id]],
      );
      const day = await stats(env(), slug, admin, { from: "2026-05-05", to: "2026-05-05" });
      assert.equal(day.days[0].topicsPosted, 1);
    });
  },
  roomyLimits,
);
