import { test } from "node:test";
import assert from "node:assert/strict";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { assertTotalsMatchLedger } from "./support.ts";

describeEachDatabase("demo reputation", (env) => {
  test("the demo has a kudos history, ranks, a champion with badges, and rewards", async () => {
    await seedDemoIfEmpty(env().deps);
    await drainJobs(env());
    const community = await env()
      .deps.db.selectFrom("communities")
      .select("id")
      .where("slug", "=", "demo")
      .executeTakeFirstOrThrow();
    const board = (await env().api.get("/api/v1/communities/demo/leaderboard")).body.leaders;
    assert.equal(board[0].member.name, "Bob");
    assert.equal(board[0].champion, true);
    assert.equal(board[0].rank.name, "Helper");
    const profile = (await env().api.get(`/api/v1/communities/demo/members/${board[0].member.id}/profile`)).body
      .profile;
    assert.deepEqual(profile.badges.map((b: { badge: string }) => b.badge).sort(), [
      "champion",
      "first_accepted",
      "first_answer",
      "first_question",
    ]);
    const rewards = (await env().api.get("/api/v1/communities/demo/rewards")).body.rewards;
    assert.deepEqual(
      rewards.map((r: { name: string }) => r.name),
      ["Community T-shirt", "CHF 10 bill credit"],
    );
    await assertTotalsMatchLedger(env(), community.id);
  });
});
