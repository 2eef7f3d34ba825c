import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask } from "../routing/support.ts";
import { configureCategory, statusOf } from "./support.ts";

const MINUTE = 60_000;

describeEachDatabase("SLA timers follow the topic's current category deadlines", (env) => {
  async function slaCommunity() {
    const built = await buildCommunity(env(), { categories: ["Internet", "Chat"], members: { member: 2, staff: 1 } });
    await configureCategory(env(), built.slug, built.admin, built.categories[0].id, { firstResponseMinutes: 60 });
    return built;
  }

  test("a topic moved to a category without deadlines is not escalated by the old timer", async () => {
    const { slug, categories, members, admin } = await slaCommunity();
    const [asker] = members.member;
    const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
    await drainJobs(env());
    const moved = await env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId: categories[1].id }, admin.auth);
    assert.equal(moved.status, 200);
    env().clock.advance(61 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open");
  });

  test("a deadline cleared after the timer was set escalates nothing", async () => {
    const { slug, categories, members, admin } = await slaCommunity();
    const [asker] = members.member;
    const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
    await drainJobs(env());
    await configureCategory(env(), slug, admin, categories[0].id, { firstResponseMinutes: null });
    env().clock.advance(61 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open");
  });

  test("a deadline lengthened after the timer was set escalates at the new deadline", async () => {
    const { slug, categories, members, admin } = await slaCommunity();
    const [asker] = members.member;
    const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
    await drainJobs(env());
    await configureCategory(env(), slug, admin, categories[0].id, { firstResponseMinutes: 120 });
    env().clock.advance(61 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open");
    env().clock.advance(60 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "escalated");
  });

  test("a topic moved into a category with a deadline is escalated when it passes", async () => {
    const { slug, categories, members, admin } = await slaCommunity();
    const [asker] = members.member;
    const topic = await ask(env(), slug, asker, { categoryId: categories[1].id });
    await drainJobs(env());
    const moved = await env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId: categories[0].id }, admin.auth);
    assert.equal(moved.status, 200);
    await drainJobs(env());
    env().clock.advance(59 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "open");
    env().clock.advance(2 * MINUTE);
    await drainJobs(env());
    assert.equal(await statusOf(env(), topic.id, asker), "escalated");
  });
});
