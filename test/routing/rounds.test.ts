import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask, buildHistory, ids, notifiedOf, questionsFor, roomyLimits, routedTo } from "./support.ts";

const MINUTE = 60_000;

describeEachDatabase(
  "routing rounds",
  (env) => {
    test("the last round's offers end after the reroute time too, freeing the expert's load", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 5 } });
      const [asker, first, second, third, poster] = members.member;
      await env().api.put(
        `/api/v1/communities/${slug}/routing/settings`,
        { experts: 1, rerouteAfterMinutes: 60, maxOpen: 1 },
        admin.auth,
      );
      await buildHistory(env(), slug, asker, first, ["tv-box"], 3);
      await buildHistory(env(), slug, asker, second, ["tv-box"], 2);
      await buildHistory(env(), slug, asker, third, ["tv-box"], 1);
      await buildHistory(env(), slug, asker, third, ["remote"], 1);
      const topic = await ask(env(), slug, poster, { tags: ["tv-box"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id]);
      for (const expert of [second, third]) {
        env().clock.advance(60 * MINUTE);
        await drainJobs(env());
        assert.deepEqual(await routedTo(env(), topic.id), [expert.id]);
      }
      env().clock.advance(59 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await questionsFor(env(), third), [topic.id], "not before the time");
      env().clock.advance(MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [], "the last offer ended");
      assert.deepEqual(await questionsFor(env(), third), []);
      // Nobody else is asked, and the third expert (one open question at most) can take another one.
      const next = await ask(env(), slug, poster, { tags: ["remote"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), next.id), [third.id]);
      env().clock.advance(24 * 60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [], "no fourth round");
    });

    test("a retried round checks its experts again: one suspended or opted out since is not notified", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 5 } });
      const [asker, suspended, optedOut, kept, poster] = members.member;
      for (const expert of [suspended, optedOut, kept]) await buildHistory(env(), slug, asker, expert, ["router"], 2);
      const topic = await ask(env(), slug, poster, { tags: ["router"] });
      await drainJobs(env());
      const experts = [suspended, optedOut, kept];
      assert.deepEqual(await routedTo(env(), topic.id), ids(experts.map((u) => u.id)));
      assert.deepEqual(await notifiedOf(env(), topic.id, experts), ids(experts.map((u) => u.id)));
      // The first attempt's notifications aside, so the retry's own are seen.
      await env()
        .deps.db.deleteFrom("notifications")
        .where("kind", "=", "routed")
        .where("topicId", "=", topic.id)
        .execute();
      await env()
        .deps.db.updateTable("memberships")
        .set({ suspendedUntil: env().clock.now() + 7 * 86_400_000 })
        .where("userId", "=", suspended.id)
        .execute();
      assert.equal((await env().api.put("/api/v1/me/routing", { optedOut: true }, optedOut.auth)).status, 200);
      // The worker of the round's job stopped before recording it done: its lease runs out, it runs again.
      await env()
        .deps.db.updateTable("jobs")
        .set({ status: "running", lockedUntil: env().clock.now() - 1 })
        .where("dedupeKey", "=", `route:${topic.id}:0`)
        .execute();
      await drainJobs(env());
      assert.deepEqual(await notifiedOf(env(), topic.id, experts), [kept.id]);
      assert.deepEqual(await routedTo(env(), topic.id), [kept.id], "their offers ended");
      assert.deepEqual(await questionsFor(env(), optedOut), []);
    });
  },
  roomyLimits,
);
