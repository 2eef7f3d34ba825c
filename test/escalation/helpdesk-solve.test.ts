import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { buildCommunity, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask } from "../routing/support.ts";

const SECRET = "the-help-desk-shares-this-secret-42";
let serial = 0;

/** A signed help-desk event, as the help desk sends it (each time under a new delivery id, as after a failure). */
async function helpdesk(env: TestEnv, slug: string, event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  // Another timestamp per sending: a retry is a new signed request, not a replay of the same one.
  env.clock.advance(1000);
  const timestamp = String(Math.floor(env.clock.now() / 1000));
  const signature = crypto.createHmac("sha256", SECRET).update(`${timestamp}.${body}`).digest("hex");
  const res = await env.app.inject({
    method: "POST",
    url: `/api/v1/communities/${slug}/helpdesk/events`,
    headers: {
      "content-type": "application/json",
      "x-crowdservice-timestamp": timestamp,
      "x-crowdservice-delivery": `solve-${++serial}`,
      "x-crowdservice-signature": `sha256=${signature}`,
    },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}

describeEachDatabase("help-desk solve and close", (env) => {
  async function escalatedTopic() {
    const built = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const put = { url: "https://helpdesk.example.com/hook", secret: SECRET, active: false };
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
    const reply = await helpdesk(env(), slug, {
      type: "ticket.reply",
      ...ticket,
      body: "We reset your line remotely.",
      agentEmail: staff.email,
      solves: true,
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal((await helpdesk(env(), slug, { type: "ticket.closed", ...ticket })).body.outcome, "case resolved");
    assert.equal(await caseNotices(asker, topic.id), 0, "the asker got a public answer");

    // Without a public answer the asker is told support handled it privately.
    const other = await ask(env(), slug, asker);
    assert.equal((await env().api.post(`/api/v1/topics/${other.id}/escalate`, {}, staff.auth)).status, 200);
    const closed = await helpdesk(env(), slug, { type: "ticket.closed", topicId: other.id, ticketId: "4712" });
    assert.equal(closed.body.outcome, "case resolved");
    assert.equal(await caseNotices(asker, other.id), 1);
  });

  test("a ticket closed after an official reply, not accepted, does not tell the asker it was private", async () => {
    const { slug, staff, asker, topic } = await escalatedTopic();
    const ticket = { topicId: topic.id, ticketId: "4713" };
    const reply = await helpdesk(env(), slug, { type: "ticket.reply", ...ticket, body: "Fixed on our side." });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal((await helpdesk(env(), slug, { type: "ticket.closed", ...ticket })).body.outcome, "case resolved");
    assert.equal(await caseNotices(asker, topic.id), 0);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body.topic.status, "answered");
  });

  test("a solving reply refused its acceptance posts nothing, so a retry posts no second reply", async () => {
    const { slug, admin, staff, topic } = await escalatedTopic();
    const ticket = { topicId: topic.id, ticketId: "4714" };
    // The Support team account exists (a first reply), then an admin makes it a plain member: its
    // replies are still posted, but it may no longer accept a solution.
    assert.equal(
      (await helpdesk(env(), slug, { type: "ticket.reply", ...ticket, body: "Looking into it." })).status,
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
      const res = await helpdesk(env(), slug, solving);
      assert.equal(res.status, 403, `attempt ${attempt}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "forbidden");
    }
    assert.deepEqual(
      (await replies()).map((r: any) => r.body),
      ["Looking into it."],
      "the refused event posted no reply, neither time",
    );
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body.topic.status, "escalated");
  });
});
