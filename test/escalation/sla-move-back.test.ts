import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask } from "../routing/support.ts";
import { configureCategory, statusOf } from "./support.ts";

const MINUTE = 60_000;

// The timer set at posting ran while the topic was in a category without deadlines (and did
// nothing); moved back, the topic gets its timers again, and the first one's dedupe key, still on
// the job that ran, must not keep them out.
describeEachDatabase("SLA timers of a topic moved out of its category and back", (env) => {
  async function movedOutAndBack(backAfterMinutes: number) {
    const built = await buildCommunity(env(), { categories: ["Internet", "Chat"], members: { member: 1 } });
    const { slug, categories, members, admin } = built;
    await configureCategory(env(), slug, admin, categories[0].id, { firstResponseMinutes: 60 });
    const [asker] = members.member;
    const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
    await drainJobs(env());
    const move = (categoryId: number) => env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId }, admin.auth);
    assert.equal((await move(categories[1].id)).status, 200);
    await drainJobs(env());
    env().clock.advance(backAfterMinutes * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open", "no deadline where it was");
    assert.equal((await move(categories[0].id)).status, 200);
    await drainJobs(env());
    return { topic, asker };
  }

  test("moved back after its deadline passed elsewhere: escalated at the queue's next run", async () => {
    const { topic, asker } = await movedOutAndBack(61);
    env().clock.advance(MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "escalated");
  });

  test("moved back and out again before its timer ran, then back once more: escalated all the same", async () => {
    const { slug, categories, members, admin } = await buildCommunity(env(), {
      categories: ["Internet", "Chat"],
      members: { member: 1 },
    });
    await configureCategory(env(), slug, admin, categories[0].id, { firstResponseMinutes: 60 });
    const [asker] = members.member;
    const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
    const move = async (categoryId: number) =>
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId }, admin.auth)).status, 200);
    await drainJobs(env());
    await move(categories[1].id);
    env().clock.advance(61 * MINUTE);
    await drainJobs(env());
    // Back, and out again before the queue ran the new timer: that one too finds no deadline.
    await move(categories[0].id);
    await move(categories[1].id);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open");
    await move(categories[0].id);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "escalated");
  });

  test("moved back before its deadline: one timer, escalated once at the deadline", async () => {
    const { topic, asker } = await movedOutAndBack(30);
    env().clock.advance(29 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open");
    env().clock.advance(2 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "escalated");
    const cases = await env()
      .deps.db.selectFrom("supportCases")
      .select("topicId")
      .where("topicId", "=", topic.id)
      .execute();
    assert.equal(cases.length, 1);
  });
});
