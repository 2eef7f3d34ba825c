import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { answer, ask, buildHistory, roomyLimits, routedTo } from "./support.ts";

const MINUTE = 60_000;

describeEachDatabase(
  "routing statistics and Questions for you pages",
  (env) => {
    test("per period: routed questions, share answered by a routed expert, median minutes to the first answer routed vs not (staff only)", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 5, staff: 1 } });
      const [asker, expert, other, poster, stranger] = members.member;
      const [staff] = members.staff;
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 1 }, admin.auth);
      await buildHistory(env(), slug, asker, expert, ["wifi"], 2);
      env().clock.set(Date.UTC(2026, 0, 12, 9));
      const answeredByExpert = await ask(env(), slug, poster, { tags: ["wifi"] });
      const answeredByOther = await ask(env(), slug, poster, { tags: ["wifi"] });
      // Nothing in common with the expert's answers, not even words (expertise is also learned from text).
      const garden = { tags: ["gardening"], title: "Tomatoes wilt in the greenhouse", body: "Leaves turn yellow." };
      const notRouted = await ask(env(), slug, poster, garden);
      await ask(env(), slug, poster, { ...garden, title: "Tomatoes wilt in the greenhouse again" }); // never answered
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), answeredByExpert.id), [expert.id]);
      assert.deepEqual(await routedTo(env(), notRouted.id), []);
      env().clock.advance(30 * MINUTE);
      await answer(env(), answeredByExpert.id, expert);
      env().clock.advance(30 * MINUTE);
      await answer(env(), answeredByOther.id, other);
      env().clock.advance(30 * MINUTE);
      await answer(env(), notRouted.id, other);

      const url = `/api/v1/communities/${slug}/stats/routing?period=day&from=2026-01-12&to=2026-01-12`;
      const res = await env().api.get(url, staff.auth);
      assert.equal(res.status, 200);
      const expected = {
        questions: 4,
        routedQuestions: 2,
        answeredByRoutedExpert: 1,
        answeredByRoutedExpertShare: 0.5,
        medianMinutesToFirstAnswer: { routed: 45, notRouted: 90 },
      };
      assert.deepEqual(res.body.periods, [{ start: "2026-01-12", ...expected }]);
      assert.deepEqual(res.body.total, expected);
      assert.deepEqual([res.body.period, res.body.from, res.body.to], ["day", "2026-01-12", "2026-01-12"]);

      const weeks = await env().api.get(
        `/api/v1/communities/${slug}/stats/routing?period=week&to=2026-01-18`,
        staff.auth,
      );
      assert.equal(weeks.body.periods.length, 12);
      assert.equal(weeks.body.periods.at(-1).start, "2026-01-12", "weeks start on Monday");
      assert.equal(weeks.body.periods.at(-1).routedQuestions, 2);
      assert.equal(
        weeks.body.periods.at(-2).routedQuestions,
        0,
        "the history was posted the week before and routed nobody",
      );

      assert.equal((await env().api.get(url, stranger.auth)).status, 403);
      assert.equal((await env().api.get(url)).status, 401);
      assert.equal(
        (await env().api.get(`/api/v1/communities/${slug}/stats/routing?period=year`, staff.auth)).status,
        422,
      );
      assert.equal(
        (await env().api.get(`/api/v1/communities/${slug}/stats/routing?from=2026-02-01&to=2026-01-01`, staff.auth))
          .status,
        422,
      );
    });

    test("the Questions for you page lists the member's questions, in their language, and switches routing off and on (CSRF)", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, expert, poster] = members.member;
      await buildHistory(env(), slug, asker, expert, ["fiber"], 2);
      const topic = await ask(env(), slug, poster, { title: "Fiber light blinks orange at night", tags: ["fiber"] });
      await drainJobs(env());
      const page = await getPage(env(), "/me/questions-for-you", expert);
      assert.equal(page.status, 200);
      assert.match(page.body, /<h1>Questions for you<\/h1>/);
      assert.ok(page.body.includes(`href="${topic.url}">Fiber light blinks orange at night</a>`));
      const german = await getPage(env(), "/me/questions-for-you", expert, { "accept-language": "de" });
      assert.match(german.body, /<h1>Fragen für dich<\/h1>/);
      assert.doesNotMatch((await getPage(env(), "/me/questions-for-you", poster)).body, /Fiber light blinks/);
      assert.equal((await getPage(env(), "/me/questions-for-you")).status, 401);

      const browser = await browse(env(), expert);
      const noToken = await env().app.inject({
        method: "POST",
        url: "/me/questions-for-you/settings",
        headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: "optedOut=1",
      });
      assert.equal(noToken.statusCode, 403);
      const off = await browser.submit("/me/questions-for-you/settings", { optedOut: "1" });
      assert.equal(off.status, 303);
      assert.equal((await env().api.get("/api/v1/me/routing", expert.auth)).body.optedOut, true);
      assert.match((await browser.get("/me/questions-for-you")).body, /You opted out/);
      await browser.submit("/me/questions-for-you/settings", { optedOut: "0" });
      assert.equal((await env().api.get("/api/v1/me/routing", expert.auth)).body.optedOut, false);
    });

    test("an answer merged in with an older duplicate is a first answer of 0 minutes, not a negative one", async () => {
      env().clock.set(Date.UTC(2026, 2, 5, 9));
      const { slug, members } = await buildCommunity(env(), { members: { member: 3, staff: 1, moderator: 1 } });
      const [first, second, helper] = members.member;
      const copy = await ask(env(), slug, first, { tags: ["gardening"], title: "Tomatoes wilt in the greenhouse" });
      env().clock.advance(10 * MINUTE);
      await answer(env(), copy.id, helper);
      // The original is asked 20 minutes after the duplicate's answer, and the duplicate merged into it.
      env().clock.advance(20 * MINUTE);
      const original = await ask(env(), slug, second, { tags: ["gardening"], title: "Wilting tomato plants" });
      env().clock.advance(5 * MINUTE);
      const merged = await env().api.post(
        `/api/v1/topics/${copy.id}/merge`,
        { intoTopicId: original.id },
        members.moderator[0].auth,
      );
      assert.equal(merged.status, 200);
      const url = `/api/v1/communities/${slug}/stats/routing?period=day&from=2026-03-05&to=2026-03-05`;
      const res = await env().api.get(url, members.staff[0].auth);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.total.medianMinutesToFirstAnswer, { routed: null, notRouted: 0 });
    });

    test("routing settings: staff read them, admins change them, members cannot", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const url = `/api/v1/communities/${slug}/routing/settings`;
      assert.deepEqual((await env().api.get(url, members.staff[0].auth)).body.settings, {
        experts: 3,
        rerouteAfterMinutes: 1440,
        maxOpen: 5,
      });
      assert.equal((await env().api.get(url, members.member[0].auth)).status, 403);
      assert.equal((await env().api.put(url, { experts: 2 }, members.staff[0].auth)).status, 403);
      assert.equal((await env().api.put(url, { experts: 0 }, admin.auth)).status, 422);
      assert.equal((await env().api.put(url, {}, admin.auth)).status, 422);
      assert.deepEqual((await env().api.put(url, { experts: 2 }, admin.auth)).body.settings, {
        experts: 2,
        rerouteAfterMinutes: 1440,
        maxOpen: 5,
      });
    });
  },
  roomyLimits,
);
