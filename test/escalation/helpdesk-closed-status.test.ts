import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { ask } from "../routing/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { HELPDESK_SECRET, helpdeskEvent } from "./support.ts";

// A help-desk event carries no time or sequence of its own (the signed timestamp is when the delivery
// or its retry was sent), so a ticket.status delivered after ticket.closed cannot be told apart from a
// newer one by time. The rule: a closed ticket keeps its closed status and its closed case; only the
// explicit status "reopened" (or "reopen", "re-opened", any case) opens it again, and after that its
// statuses apply as before.
describeEachDatabase("help desk: a status after the ticket was closed", (env) => {
  test("a late ticket.status does not overwrite a closed ticket; only an explicit reopening does", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const put = { url: "https://helpdesk.example.com/hook", secret: HELPDESK_SECRET, active: false };
    assert.equal((await env().api.put(`/api/v1/communities/${slug}/webhook`, put, admin.auth)).status, 200);
    const [asker] = members.member;
    const [staff] = members.staff;
    const topic = await ask(env(), slug, asker);
    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    const ticket = { topicId: topic.id, ticketId: "4711" };
    const send = async (event: object) => {
      const res = await helpdeskEvent(env(), slug, { ...ticket, ...event });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      env().clock.advance(1000);
      return res.body;
    };
    const shown = async () => (await getPage(env(), topic.url, asker)).body.match(/With our support team: [^<]*/)?.[0];
    const kase = async () => (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case;

    await send({ type: "ticket.status", status: "pending" });
    assert.equal((await send({ type: "ticket.closed", status: "solved" })).outcome, "case resolved");
    const resolved = await kase();
    assert.ok(resolved.resolvedAt);

    // The "pending" of before the closure, delivered (or retried) late: nothing changes.
    const late = await send({ type: "ticket.status", status: "pending" });
    assert.deepEqual([late.duplicate, late.outcome], [false, "ignored: status pending (the ticket is closed)"]);
    assert.equal(await shown(), "With our support team: ticket 4711, solved");
    assert.deepEqual(await kase(), resolved, "the closed case stays closed");
    // Nor does a late link of the same ticket carrying a status.
    await send({ type: "ticket.linked", status: "open", ticketUrl: "https://desk.example/tickets/4711" });
    assert.equal(await shown(), "With our support team: ticket 4711, solved");

    // The help desk reopens the ticket explicitly: its statuses apply again.
    assert.equal((await send({ type: "ticket.status", status: "Reopened" })).outcome, "status Reopened");
    assert.equal(await shown(), "With our support team: ticket 4711, Reopened");
    await send({ type: "ticket.status", status: "pending" });
    assert.equal(await shown(), "With our support team: ticket 4711, pending");

    // Another ticket of the topic is not closed by the closure of 4711.
    await send({ type: "ticket.closed" });
    await send({ type: "ticket.linked", ticketId: "4712" });
    await send({ type: "ticket.status", ticketId: "4712", status: "pending" });
    assert.equal(await shown(), "With our support team: ticket 4712, pending");

    const log = (await env().api.get(`/api/v1/communities/${slug}/helpdesk/events`, staff.auth)).body.events;
    assert.ok(log.some((e: any) => e.outcome === "ignored: status pending (the ticket is closed)"));
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", staff.id).execute();
    const page = await getPage(env(), `/c/${slug}/staff`, staff);
    assert.ok(
      page.body.includes("Ignoriert: Status „pending“ eines geschlossenen Tickets"),
      "in the reader's language",
    );
  });
});
