import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, refuseWrites, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask } from "../routing/support.ts";
import { HELPDESK_SECRET, helpdeskEvent } from "./support.ts";

describeEachDatabase("help-desk solve and close", (env) => {
  async function escalatedTopic() {
    const built = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const put = { url: "https://helpdesk.example.com/hook", secret: HELPDESK_SECRET, active: false };
    assert.equal((await env().api.put(`/api/v1/communities/${built.slug}/webhook`, put, built.admin.auth)).status, 200);
    const staff = built.members.staff[0];
    const asker = built.members.member[0];
    const topic = await ask(env(), built.slug, asker);
    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    return { ...built, staff, asker, topic };
  }

  const caseNotices = async (user: TestUser, topicId: number) => {
    await drainJobs(env());
    const { notifications } = (await env().api.get("/api/v1/notifications", user.auth)).body;
    return notifications.filter((n: any) => n.kind === "case_private" && n.topicId === topicId).length;
  };

  test("a ticket closed after a solving public reply does not tell the asker it was private", async () => {
    const { slug, staff, asker, topic } = await escalatedTopic();
    const ticket = { topicId: topic.id, ticketId: "4711" };
    const reply = await helpdeskEvent(env(), slug, {
      type: "ticket.reply",
      ...ticket,
      body: "We reset your line remotely.",
      agentEmail: staff.email,
      solves: true,
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(
      (await helpdeskEvent(env(), slug, { type: "ticket.closed", ...ticket })).body.outcome,
      "case resolved",
    );
    assert.equal(await caseNotices(asker, topic.id), 0, "the asker got a public answer");

    // Without a public answer the asker is told support handled it privately.
    const other = await ask(env(), slug, asker);
    assert.equal((await env().api.post(`/api/v1/topics/${other.id}/escalate`, {}, staff.auth)).status, 200);
    const closed = await helpdeskEvent(env(), slug, { type: "ticket.closed", topicId: other.id, ticketId: "4712" });
    assert.equal(closed.body.outcome, "case resolved");
    assert.equal(await caseNotices(asker, other.id), 1);
  });

  test("a ticket closed after an official reply, not accepted, does not tell the asker it was private", async () => {
    const { slug, staff, asker, topic } = await escalatedTopic();
    const ticket = { topicId: topic.id, ticketId: "4713" };
    const reply = await helpdeskEvent(env(), slug, { type: "ticket.reply", ...ticket, body: "Fixed on our side." });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(
      (await helpdeskEvent(env(), slug, { type: "ticket.closed", ...ticket })).body.outcome,
      "case resolved",
    );
    assert.equal(await caseNotices(asker, topic.id), 0);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body.topic.status, "answered");
  });

  test("a solving reply refused (its Support team account demoted) posts nothing, so a retry posts no second reply", async () => {
    const { slug, admin, staff, topic } = await escalatedTopic();
    const ticket = { topicId: topic.id, ticketId: "4714" };
    // The Support team account exists (a first reply), then an admin makes it a plain member: nothing
    // is done as it any more (support-account-role.test.ts), neither the reply nor its acceptance.
    assert.equal(
      (await helpdeskEvent(env(), slug, { type: "ticket.reply", ...ticket, body: "Looking into it." })).status,
      200,
    );
    const replies = async () => (await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body.replies;
    const [first] = await replies();
    const demoted = await env().api.put(
      `/api/v1/communities/${slug}/members/${first.author.id}`,
      { role: "member" },
      admin.auth,
    );
    assert.equal(demoted.status, 200, JSON.stringify(demoted.body));

    const solving = { type: "ticket.reply", ...ticket, body: "Your line is reset.", solves: true };
    for (const attempt of [1, 2]) {
      env().clock.advance(1000); // a retry: the same event signed anew
      const res = await helpdeskEvent(env(), slug, solving);
      assert.equal(res.status, 409, `attempt ${attempt}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "conflict");
    }
    assert.deepEqual(
      (await replies()).map((r: any) => r.body),
      ["Looking into it."],
      "the refused event posted no reply, neither time",
    );
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body.topic.status, "escalated");
  });

  test("a solving reply whose acceptance fails posts nothing, and the help desk's retry posts it once", async () => {
    const { slug, staff, topic } = await escalatedTopic();
    const solving = {
      type: "ticket.reply",
      topicId: topic.id,
      ticketId: "4715",
      body: "We replaced the modem.",
      agentEmail: staff.email,
      solves: true,
    };
    // The acceptance's write fails after the reply's went through, in the same transaction.
    const repair = await refuseWrites(env(), {
      name: "acceptance_down",
      table: "topics",
      event: "update of accepted_reply_id",
      when: "new.accepted_reply_id is not null",
    });
    const failed = await helpdeskEvent(env(), slug, solving, "delivery-4715");
    assert.equal(failed.status, 500, JSON.stringify(failed.body));
    const replies = async () => (await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body.replies;
    assert.deepEqual(await replies(), [], "the reply went with its acceptance");

    await repair();
    env().clock.advance(1000);
    const retried = await helpdeskEvent(env(), slug, solving, "delivery-4715");
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.duplicate, false, "the failed delivery was not remembered");
    const [reply, ...others] = await replies();
    assert.deepEqual([reply.body, others.length], ["We replaced the modem.", 0], "posted once");
    const { topic: now } = (await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body;
    assert.equal(now.acceptedReplyId, reply.id);
  });
});
