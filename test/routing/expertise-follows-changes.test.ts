import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, roomyLimits, routedTo } from "./support.ts";

describeEachDatabase(
  "expertise follows edits and moderation",
  (env) => {
    const setUp = async () => {
      const built = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
      const [asker, expert] = built.members.member;
      const [moderator] = built.members.moderator;
      const keys = async () =>
        (
          await env()
            .deps.db.selectFrom("memberExpertise")
            .select("key")
            .where("communityId", "=", built.community.id)
            .where("userId", "=", expert.id)
            .where("key", "like", "tag:%")
            .orderBy("key")
            .execute()
        ).map((r) => r.key);
      return { ...built, asker, expert, moderator, keys };
    };

    test("a hidden answer, or an answer in a hidden question, leaves the expertise; restored, it comes back", async () => {
      const { slug, asker, expert, moderator, keys } = await setUp();
      const zebra = await ask(env(), slug, asker, { tags: ["zebra"] });
      const reply = await answer(env(), zebra.id, expert);
      const xylo = await ask(env(), slug, asker, { tags: ["xylophone"] });
      await answer(env(), xylo.id, expert);
      await drainJobs(env());
      assert.deepEqual(await keys(), ["tag:xylophone", "tag:zebra"]);

      const post = (path: string) => env().api.post(path, { reason: "Off topic here" }, moderator.auth);
      assert.equal((await post(`/api/v1/posts/reply/${reply.id}/hide`)).status, 200);
      await drainJobs(env());
      assert.deepEqual(await keys(), ["tag:xylophone"], "the hidden answer shows no expertise");
      assert.equal((await post(`/api/v1/posts/reply/${reply.id}/restore`)).status, 200);
      await drainJobs(env());
      assert.deepEqual(await keys(), ["tag:xylophone", "tag:zebra"]);

      assert.equal((await post(`/api/v1/posts/topic/${xylo.id}/hide`)).status, 200);
      await drainJobs(env());
      assert.deepEqual(await keys(), ["tag:zebra"], "an answer in a hidden question shows none either");
    });

    test("a question's tags edited, the answerers' expertise follows", async () => {
      const { slug, asker, expert, keys } = await setUp();
      const topic = await ask(env(), slug, asker, { tags: ["quokka"] });
      await answer(env(), topic.id, expert);
      await drainJobs(env());
      assert.deepEqual(await keys(), ["tag:quokka"]);
      const edited = await env().api.patch(`/api/v1/topics/${topic.id}`, { tags: ["wombat"] }, asker.auth);
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      await drainJobs(env());
      assert.deepEqual(await keys(), ["tag:wombat"]);
    });

    test("routing settings changes are in the audit log; statistics leave out a question hidden as spam", async () => {
      const { slug, admin, asker, expert, moderator } = await setUp();
      const put = await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 1 }, admin.auth);
      assert.equal(put.status, 200);
      const log = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;
      assert.deepEqual(
        log.map((e: { action: string; details: unknown }) => [e.action, e.details]),
        [["settings.routing", { change: { experts: 1 } }]],
      );

      const earlier = await ask(env(), slug, asker, { tags: ["fiber"] });
      await answer(env(), earlier.id, expert);
      await drainJobs(env());
      env().clock.set(Date.UTC(2026, 0, 12, 9));
      const spam = await ask(env(), slug, asker, { tags: ["fiber"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), spam.id), [expert.id]);
      const url = `/api/v1/communities/${slug}/stats/routing?period=day&from=2026-01-12&to=2026-01-12`;
      const before = (await env().api.get(url, admin.auth)).body.total;
      assert.deepEqual([before.questions, before.routedQuestions], [1, 1]);
      const hidden = await env().api.post(`/api/v1/posts/topic/${spam.id}/hide`, { reason: "Spam" }, moderator.auth);
      assert.equal(hidden.status, 200);
      const after = (await env().api.get(url, admin.auth)).body.total;
      assert.deepEqual([after.questions, after.routedQuestions], [0, 0]);
    });
  },
  roomyLimits,
);
