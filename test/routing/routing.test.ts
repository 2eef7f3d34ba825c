import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, buildHistory, ids, oneExpertPerRound, questionsFor, roomyLimits, routedTo } from "./support.ts";

const DAY = 86_400_000;

describeEachDatabase(
  "routing to experts",
  (env) => {
    test("a new question goes to the best experts of its tags (N at most), the routed are notified and see it in Questions for you", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 6 } });
      const [asker, a, b, c, d, tvExpert] = members.member;
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 2 }, admin.auth);
      await buildHistory(env(), slug, asker, a, ["wifi"], 3);
      await buildHistory(env(), slug, asker, b, ["wifi"], 2);
      await buildHistory(env(), slug, asker, c, ["wifi"], 1, false);
      await buildHistory(env(), slug, asker, tvExpert, ["tv-box"], 3);
      const topic = await ask(env(), slug, d, { tags: ["wifi"] });
      await drainJobs(env());
      assert.deepEqual(
        await routedTo(env(), topic.id),
        ids([a.id, b.id]),
        "the two best wifi experts, not c, not the TV expert",
      );
      assert.ok((await questionsFor(env(), a)).includes(topic.id));
      assert.ok(!(await questionsFor(env(), c)).includes(topic.id));
      await drainJobs(env());
      const routed = (await env().api.get("/api/v1/notifications", b.auth)).body.notifications.filter(
        (n: { kind: string; topicId: number }) => n.kind === "routed" && n.topicId === topic.id,
      );
      assert.equal(routed.length, 1, "once");
      // Answering takes the question off the list.
      await answer(env(), topic.id, a);
      assert.ok(!(await questionsFor(env(), a)).includes(topic.id));
    });

    test("never the asker, even when the asker is the best expert", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [expert, other, asker2] = members.member;
      await buildHistory(env(), slug, asker2, expert, ["fiber"], 4);
      await buildHistory(env(), slug, asker2, other, ["fiber"], 1);
      const topic = await ask(env(), slug, expert, { tags: ["fiber"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [other.id]);
    });

    test("never a suspended or an opted-out member; one inactive for a month ranks below active ones", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 6 } });
      const [asker, suspended, optedOut, inactive, active, poster] = members.member;
      await buildHistory(env(), slug, asker, inactive, ["mobile"], 3);
      env().clock.advance(31 * DAY);
      for (const expert of [suspended, optedOut, active]) await buildHistory(env(), slug, asker, expert, ["mobile"], 2);
      await env()
        .deps.db.updateTable("memberships")
        .set({ suspendedUntil: env().clock.now() + 7 * DAY })
        .where("communityId", "=", community.id)
        .where("userId", "=", suspended.id)
        .execute();
      const out = await env().api.put("/api/v1/me/routing", { optedOut: true }, optedOut.auth);
      assert.deepEqual([out.status, out.body], [200, { optedOut: true }]);
      assert.equal((await env().api.get("/api/v1/me/routing", optedOut.auth)).body.optedOut, true);
      assert.equal((await env().api.put("/api/v1/me/routing", { optedOut: "yes" }, optedOut.auth)).status, 422);
      assert.equal((await env().api.put("/api/v1/me/routing", { optedOut: true })).status, 401);

      // Issue #17: recency weighs in the ranking instead of a hard 30-day cut-off, so the member
      // who has not posted for a month is still offered the question, after the active expert.
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 1 }, admin.auth);
      const first = await ask(env(), slug, poster, { tags: ["mobile"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), first.id), [active.id], "more accepted answers, but a month away");
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 3 }, admin.auth);
      const topic = await ask(env(), slug, poster, { tags: ["mobile"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), ids([active.id, inactive.id]));

      // Back in, and the suspension over: both are offered the next question.
      await env().api.put("/api/v1/me/routing", { optedOut: false }, optedOut.auth);
      env().clock.advance(8 * DAY);
      const next = await ask(env(), slug, poster, { tags: ["mobile"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), next.id), ids([suspended.id, optedOut.id, active.id]));
    });

    test("an academy certification counts in the subjects its course covers", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
      const [asker, plain, certified, poster] = members.member;
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 1 }, admin.auth);
      // The same history for both; on a tie the lower id (plain) would win.
      await buildHistory(env(), slug, asker, plain, ["fibre"], 1);
      await buildHistory(env(), slug, asker, certified, ["fibre"], 1);
      const now = env().clock.now();
      const course = await env()
        .deps.db.insertInto("courses")
        .values({
          communityId: community.id,
          title: "Fibre installation basics",
          description: "",
          passMark: 80,
          maxAttempts: 3,
          cooldownMinutes: 0,
          validityDays: null,
          createdBy: admin.id,
          createdAt: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await env()
        .deps.db.insertInto("certifications")
        .values({
          communityId: community.id,
          courseId: course.id,
          userId: certified.id,
          grantedAt: now,
          expiresAt: null,
        })
        .execute();
      const topic = await ask(env(), slug, poster, { tags: ["fibre"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [certified.id]);
      // An expired certification no longer counts.
      await env()
        .deps.db.updateTable("certifications")
        .set({ expiresAt: now - 1 })
        .where("userId", "=", certified.id)
        .execute();
      const next = await ask(env(), slug, poster, { tags: ["fibre"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), next.id), [plain.id]);
    });

    test("load balancing: an expert holding the maximum of open routed questions gets no more", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
      const [asker, top, second, poster] = members.member;
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 1, maxOpen: 1 }, admin.auth);
      await buildHistory(env(), slug, asker, top, ["email"], 3);
      await buildHistory(env(), slug, asker, second, ["email"], 1);
      const first = await ask(env(), slug, poster, { tags: ["email"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), first.id), [top.id]);
      const busy = await ask(env(), slug, poster, { tags: ["email"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), busy.id), [second.id], "the top expert is busy");
      // Once the first is answered, the top expert is free again.
      await answer(env(), first.id, top);
      const third = await ask(env(), slug, poster, { tags: ["email"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), third.id), [top.id]);
    });

    test("an offer of a question locked or hidden since no longer counts against the expert's load", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
      const [asker, top, second, poster] = members.member;
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 1, maxOpen: 1 }, admin.auth);
      await buildHistory(env(), slug, asker, top, ["email"], 3);
      await buildHistory(env(), slug, asker, second, ["email"], 1);
      for (const close of [
        (id: number) => env().api.put(`/api/v1/topics/${id}/lock`, {}, admin.auth),
        (id: number) => env().api.post(`/api/v1/posts/topic/${id}/hide`, { reason: "spam" }, admin.auth),
      ]) {
        const offered = await ask(env(), slug, poster, { tags: ["email"] });
        await drainJobs(env());
        assert.deepEqual(await routedTo(env(), offered.id), [top.id]);
        assert.equal((await close(offered.id)).status, 200);
        const next = await ask(env(), slug, poster, { tags: ["email"] });
        await drainJobs(env());
        assert.deepEqual(await routedTo(env(), next.id), [top.id], "the top expert holds no open question");
        await answer(env(), next.id, top);
      }
    });

    test("re-routing: when no routed expert answered in time, the next experts get it and the first offer is withdrawn", async () => {
      const { slug, first, second, poster } = await oneExpertPerRound(env(), "tv-box");
      const topic = await ask(env(), slug, poster, { tags: ["tv-box"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id]);
      env().clock.advance(59 * 60_000);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id], "not before the time");
      env().clock.advance(60_000);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [second.id]);
      assert.deepEqual(await questionsFor(env(), first), [], "the first offer is withdrawn");
      assert.deepEqual(await questionsFor(env(), second), [topic.id]);
      // The second expert answers: no third round.
      await answer(env(), topic.id, second);
      env().clock.advance(2 * 60 * 60_000);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [second.id]);
    });

    test("a question held for review is routed once moderators let it through", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, expert, poster] = members.member;
      await buildHistory(env(), slug, asker, expert, ["modem"], 2);
      const topic = await ask(env(), slug, poster, { tags: ["modem"] });
      await env()
        .deps.db.updateTable("topics")
        .set({ moderationState: "pending" })
        .where("id", "=", topic.id)
        .execute();
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), []);
      await env()
        .deps.db.updateTable("topics")
        .set({ moderationState: "visible" })
        .where("id", "=", topic.id)
        .execute();
      env().clock.advance(60 * 60_000);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [expert.id]);
    });

    test("only crowd questions are routed: not ideas, not staff-only or private categories", async () => {
      const { slug, categories, admin, members } = await buildCommunity(env(), {
        categories: ["Billing"],
        members: { member: 3 },
      });
      const [asker, expert, poster] = members.member;
      await buildHistory(env(), slug, asker, expert, ["invoice"], 2);
      const idea = await ask(env(), slug, poster, { kind: "idea", tags: ["invoice"] });
      await env().api.patch(
        `/api/v1/communities/${slug}/categories/${categories[0].id}`,
        { scope: "private" },
        admin.auth,
      );
      const privateQuestion = await ask(env(), slug, poster, { tags: ["invoice"], categoryId: categories[0].id });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), idea.id), []);
      assert.deepEqual(await routedTo(env(), privateQuestion.id), []);
    });
  },
  roomyLimits,
);
