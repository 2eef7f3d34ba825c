import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask } from "../routing/support.ts";
import { configureCategory, statusOf } from "./support.ts";

const MINUTE = 60_000;

// The timer set at posting fires while a moderator has the topic hidden, and does nothing (nobody
// may read it). Restored, the topic is the asker's open question again: its deadlines count.
describeEachDatabase("SLA timers of a topic hidden and restored", (env) => {
  async function hiddenTopic() {
    const { slug, categories, members, admin } = await buildCommunity(env(), {
      categories: ["Internet"],
      members: { member: 1, moderator: 1 },
    });
    await configureCategory(env(), slug, admin, categories[0].id, { firstResponseMinutes: 60 });
    const [asker] = members.member;
    const [moderator] = members.moderator;
    const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
    await drainJobs(env());
    const moderate = async (action: "hide" | "restore") =>
      assert.equal(
        (await env().api.post(`/api/v1/posts/topic/${topic.id}/${action}`, { reason: "Spam" }, moderator.auth)).status,
        200,
      );
    await moderate("hide");
    return { topic, asker, moderate };
  }

  test("hidden when its deadline passed, restored: escalated at the queue's next run", async () => {
    const { topic, asker, moderate } = await hiddenTopic();
    env().clock.advance(61 * MINUTE);
    await drainJobs(env());
    await moderate("restore");
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "escalated");
  });

  test("restored before its deadline: escalated once, at the deadline", async () => {
    const { topic, asker, moderate } = await hiddenTopic();
    env().clock.advance(30 * MINUTE);
    await moderate("restore");
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open");
    env().clock.advance(31 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "escalated");
    const timers = await env()
      .deps.db.selectFrom("jobs")
      .select("id")
      .where("name", "=", "escalation.sla")
      .where("payload", "like", `%"topicId":${topic.id},%`)
      .execute();
    assert.equal(timers.length, 1, "no second timer for the same deadline");
  });
});
