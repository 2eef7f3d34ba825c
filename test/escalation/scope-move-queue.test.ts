import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { configureCategory } from "./support.ts";
import { escalationSubscribers } from "../../src/escalation/escalation.subscribers.ts";
import type { Subscriber } from "../../src/jobs/events.ts";

// A topic posted in a staff-only or private category waits in the staff queue; one moved there
// later must too, or nobody answers it: members may not, and staff never see it in their queue.
describeEachDatabase("staff queue: topics moved into a staff-only or private category", (env) => {
  async function community() {
    const built = await buildCommunity(env(), {
      categories: ["Internet", "Contracts", "Billing"],
      members: { member: 1, staff: 1 },
    });
    const [internet, contracts, billing] = built.categories;
    await configureCategory(env(), built.slug, built.admin, contracts.id, { scope: "staff_only" });
    await configureCategory(env(), built.slug, built.admin, billing.id, { scope: "private" });
    const post = (title: string) =>
      buildTopic(env(), built.slug, built.members.member[0], { categoryId: internet.id, title });
    const move = async (topicId: number, categoryId: number) => {
      const res = await env().api.post(`/api/v1/topics/${topicId}/move`, { categoryId }, built.admin.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await drainJobs(env());
    };
    const queue = async () => {
      const res = await env().api.get(`/api/v1/communities/${built.slug}/staff/queue`, built.members.staff[0].auth);
      assert.equal(res.status, 200);
      return res.body.items.map((i: { topic: { id: number }; case: { reason: string } }) => [
        i.topic.id,
        i.case.reason,
      ]);
    };
    return { ...built, internet, contracts, billing, staff: built.members.staff[0], post, move, queue };
  }

  test("moved into a staff-only or a private category: in the staff queue; into the crowd's: not", async () => {
    const { post, move, queue, contracts, billing, internet } = await community();
    const toStaff = await post("Can I change my contract?");
    const toPrivate = await post("My invoice shows my address");
    const stays = await post("Which router do you recommend?");
    await drainJobs(env());
    await move(toStaff.id, contracts.id);
    await move(toPrivate.id, billing.id);
    await move(stays.id, internet.id);
    assert.deepEqual(await queue(), [
      [toStaff.id, "staff_only"],
      [toPrivate.id, "staff_only"],
    ]);
  });

  test("an escalated topic keeps its case and reason; one staff resolved is not reopened", async () => {
    const { post, move, queue, contracts, staff } = await community();
    const escalated = await post("The line drops every evening");
    const resolved = await post("How do I cancel my contract?");
    for (const topic of [escalated, resolved])
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    const resolve = { resolution: "private", reason: "Cancelled it with the customer on the phone." };
    assert.equal((await env().api.post(`/api/v1/topics/${resolved.id}/resolve`, resolve, staff.auth)).status, 200);
    await drainJobs(env());
    await move(escalated.id, contracts.id);
    await move(resolved.id, contracts.id);
    await move(escalated.id, contracts.id);
    assert.deepEqual(await queue(), [[escalated.id, "manual"]]);
  });

  // Subscribers run at least once: a crashed worker's delivery of topic.created runs again later.
  test("topic.created delivered again: a case staff resolved stays resolved; an escalation keeps its reason", async () => {
    const { slug, members, billing, queue, staff } = await community();
    const asker = members.member[0];
    const resolved = await buildTopic(env(), slug, asker, { categoryId: billing.id, title: "My invoice is wrong" });
    const escalated = await buildTopic(env(), slug, asker, { categoryId: billing.id, title: "Charged twice" });
    await drainJobs(env());
    const resolve = { resolution: "private", reason: "Refunded the customer by phone." };
    assert.equal((await env().api.post(`/api/v1/topics/${resolved.id}/resolve`, resolve, staff.auth)).status, 200);
    assert.equal((await env().api.post(`/api/v1/topics/${escalated.id}/escalate`, {}, staff.auth)).status, 200);
    const topicCreated = escalationSubscribers.find(
      (s) => s.name === "escalation.topicCreated",
    ) as Subscriber<"topic.created">;
    for (const topic of [resolved, escalated])
      await topicCreated.run(env().deps, { topicId: topic.id, communityId: topic.communityId, authorId: asker.id });
    await drainJobs(env());
    assert.deepEqual(await queue(), [[escalated.id, "manual"]]);
    const file = await env().api.get(`/api/v1/topics/${resolved.id}/case`, staff.auth);
    assert.equal(file.body.case.resolution, "Refunded the customer by phone.");
    assert.notEqual(file.body.case.resolvedAt, null);
  });

  test("a crowd category made staff-only queues its unsolved topics; solved ones and resolved cases stay", async () => {
    const { slug, admin, members, post, queue, staff, internet } = await community();
    const [asker] = members.member;
    const open = await post("My router restarts at night");
    const solved = await post("Which cable for the TV box?");
    const resolved = await post("Can staff check my line?");
    const answer = await buildReply(env(), solved.id, staff, "The HDMI one in the box.");
    assert.equal(
      (await env().api.post(`/api/v1/topics/${solved.id}/accept`, { replyId: answer.id }, asker.auth)).status,
      200,
    );
    assert.equal((await env().api.post(`/api/v1/topics/${resolved.id}/escalate`, {}, staff.auth)).status, 200);
    const resolve = { resolution: "private", reason: "Checked the line by phone." };
    assert.equal((await env().api.post(`/api/v1/topics/${resolved.id}/resolve`, resolve, staff.auth)).status, 200);
    await drainJobs(env());
    assert.deepEqual(await queue(), []);
    await configureCategory(env(), slug, admin, internet.id, { scope: "staff_only" });
    await drainJobs(env());
    assert.deepEqual(await queue(), [[open.id, "staff_only"]], "members may no longer answer it: staff must");
    await configureCategory(env(), slug, admin, internet.id, { scope: "staff_only", description: "Staff answer." });
    await drainJobs(env());
    assert.deepEqual(await queue(), [[open.id, "staff_only"]], "saved again: nothing twice");
  });
});
