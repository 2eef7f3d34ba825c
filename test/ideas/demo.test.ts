import { test } from "node:test";
import assert from "node:assert/strict";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

describeEachDatabase("demo ideas and poll", (env) => {
  test("the demo community has ideas in several statuses and one poll", async () => {
    await seedDemoIfEmpty(env().deps);
    const board = (await env().api.get("/api/v1/communities/demo/ideas")).body;
    assert.deepEqual(board.counts, { new: 1, under_review: 1, planned: 1, in_progress: 0, done: 1, declined: 1 });
    const family = board.items.find((i: any) => i.title.startsWith("Let us share mobile data"));
    const progress = (await env().api.get(`/api/v1/topics/${family.id}/idea-status`)).body;
    assert.deepEqual(
      progress.timeline.map((e: any) => [e.status, e.staff.name]),
      [
        ["under_review", "Sam (Demo Telecom)"],
        ["planned", "Sam (Demo Telecom)"],
      ],
    );
    const page = await getPage(env(), family.url);
    assert.match(page.body, /id="poll"/);
    assert.match(page.body, /3 members voted/);
    assert.equal((await getPage(env(), "/c/demo/ideas")).status, 200);
  });
});
