import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { ask } from "../routing/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { ticketOf } from "../../src/escalation/helpdesk.tickets.ts";
import { HELPDESK_SECRET, helpdeskEvent } from "./support.ts";

describeEachDatabase("help-desk ticket sync", (env) => {
  test("a topic's ticket replaced by another drops the former one's address and status", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const put = { url: "https://helpdesk.example.com/hook", secret: HELPDESK_SECRET, active: false };
    assert.equal((await env().api.put(`/api/v1/communities/${slug}/webhook`, put, admin.auth)).status, 200);
    const staff = members.staff[0];
    const topic = await ask(env(), slug, members.member[0]);
    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    const ticketOnCasePage = async () => {
      const page = await getPage(env(), `/c/${slug}/t/${topic.id}/case`, staff);
      assert.equal(page.status, 200);
      return page.body.match(/<dd id="case-ticket">.*?<\/dd>/)?.[0] ?? "";
    };
    const ticket = { topicId: topic.id, ticketId: "4711" };

    const url = "https://desk.example/tickets/4711";
    assert.equal((await helpdeskEvent(env(), slug, { type: "ticket.linked", ...ticket, ticketUrl: url })).status, 200);
    assert.equal(
      (await helpdeskEvent(env(), slug, { type: "ticket.status", ...ticket, status: "on hold" })).status,
      200,
    );
    // The same ticket again: what the event leaves out is kept.
    assert.equal((await helpdeskEvent(env(), slug, { type: "ticket.linked", ...ticket })).status, 200);
    assert.match(
      await ticketOnCasePage(),
      /<a href="https:\/\/desk.example\/tickets\/4711"[^>]*>4711<\/a> \(on hold\)/,
    );

    // The help desk moved the topic to ticket 4712 (merged, split): no link to 4711 labelled 4712.
    assert.equal(
      (await helpdeskEvent(env(), slug, { type: "ticket.linked", topicId: topic.id, ticketId: "4712" })).status,
      200,
    );
    const replaced = await ticketOnCasePage();
    assert.doesNotMatch(replaced, /tickets\/4711|on hold/);
    assert.match(replaced, />4712<\/dd>/);
    const asker = await getPage(env(), topic.url, members.member[0]);
    assert.match(asker.body, /With our support team: ticket 4712</);
  });

  test("a late closure of the topic's former ticket leaves its case open; its current ticket's closure resolves it", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const put = { url: "https://helpdesk.example.com/hook", secret: HELPDESK_SECRET, active: false };
    assert.equal((await env().api.put(`/api/v1/communities/${slug}/webhook`, put, admin.auth)).status, 200);
    const staff = members.staff[0];
    const asker = members.member[0];
    const topic = await ask(env(), slug, asker);
    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    const kase = async () => (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case;
    const send = async (event: object) => {
      const res = await helpdeskEvent(env(), slug, { topicId: topic.id, ...event });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      env().clock.advance(1000);
      return res.body;
    };
    await send({ type: "ticket.linked", ticketId: "4711" });
    // The help desk moved the topic to ticket 4712; the closure of 4711 arrives late (or is retried).
    await send({ type: "ticket.linked", ticketId: "4712", status: "open" });
    const late = await send({ type: "ticket.closed", ticketId: "4711", status: "solved" });
    assert.deepEqual(
      [late.duplicate, late.outcome],
      [false, "ignored: closure of ticket 4711 (the topic's ticket is 4712)"],
    );
    assert.equal((await kase()).resolvedAt, null, "the case stays open");
    const ticket = await ticketOf(env().deps.db, topic.id);
    assert.deepEqual([ticket?.ticketId, ticket?.status], ["4712", "open"], "the current ticket stays as it is");
    assert.match((await getPage(env(), topic.url, asker)).body, /With our support team: ticket 4712, open</);
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", staff.id).execute();
    const log = await getPage(env(), `/c/${slug}/staff`, staff);
    assert.ok(
      log.body.includes("Ignoriert: Schließung von Ticket 4711, nicht mehr das Ticket des Themas (jetzt 4712)"),
      "logged, in the reader's language",
    );

    assert.equal((await send({ type: "ticket.closed", ticketId: "4712" })).outcome, "case resolved");
    assert.notEqual((await kase()).resolvedAt, null);
  });
});
