import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import pg from "pg";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "./web-helpers.ts";

/**
 * Every SQL text this process sends while `recording` is set, observed where it runs: better-sqlite3's
 * statements and pg's queries (patched before any connection exists: the app binds `query` when it
 * connects). Nothing is changed on the way.
 */
const sent: string[] = [];
let recording = false;
const statement = Object.getPrototypeOf(new Database(":memory:").prepare("select 1"));
for (const method of ["all", "get", "run", "iterate"]) {
  const original = statement[method];
  statement[method] = function (this: { source: string }, ...args: unknown[]) {
    if (recording) sent.push(this.source);
    return original.apply(this, args);
  };
}
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording) sent.push(typeof args[0] === "string" ? args[0] : String((args[0] as { text?: string }).text));
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

async function statementsOf<T>(read: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  sent.length = 0;
  recording = true;
  try {
    return { result: await read(), statements: [...sent] };
  } finally {
    recording = false;
  }
}

/** How many statements mention each table (by its SQL name). */
const mentions = (statements: string[], tables: string[]) =>
  Object.fromEntries(tables.map((table) => [table, statements.filter((s) => s.includes(`"${table}"`)).length]));

const PANEL_TABLES = ["polls", "topic_duplicates", "helpdesk_tickets", "services"];

describeEachDatabase("topic page facts", (env) => {
  test("the panels of other domains read nothing more for a topic that has nothing of theirs, and show what it has", async () => {
    const { slug, community, admin } = await buildCommunity(env());
    const original = await buildTopic(env(), slug, admin, { title: "The router blinks red after an update" });
    const topic = await buildTopic(env(), slug, admin, { title: "Red light on my router since the update" });
    const page = async () => {
      const first = await getPage(env(), `/c/${slug}/t/${topic.id}`, admin);
      return first.status === 301 ? getPage(env(), String(first.headers.location), admin) : first;
    };

    // The viewer is staff: every panel would show its part (the ticket, the way to add a poll).
    const plain = await statementsOf(page);
    assert.equal(plain.result.status, 200);
    assert.deepEqual(
      mentions(plain.statements, PANEL_TABLES),
      { polls: 1, topic_duplicates: 1, helpdesk_tickets: 1, services: 1 },
      "each table in one statement only: the page's extras, with the topic",
    );
    const extras = plain.statements.filter((s) => s.includes('"topic_duplicates"'));
    assert.ok(
      PANEL_TABLES.every((table) => extras[0].includes(`"${table}"`)),
      "the same statement reads all four",
    );
    assert.doesNotMatch(plain.result.body, /duplicate-banner|helpdesk-ticket|\/polls\/\d+\/vote/);

    const poll = await env().api.post(`/api/v1/topics/${topic.id}/poll`, { options: ["Yes", "No"] }, admin.auth);
    assert.equal(poll.status, 201);
    const marked = await env().api.post(`/api/v1/topics/${topic.id}/duplicate`, { of: original.id }, admin.auth);
    assert.equal(marked.status, 200);
    await env()
      .deps.db.insertInto("helpdeskTickets")
      .values({
        topicId: topic.id,
        communityId: community.id,
        ticketId: "T-4711",
        ticketUrl: null,
        status: "pending",
        updatedAt: env().clock.now(),
      })
      .execute();

    const full = await statementsOf(page);
    assert.equal(full.result.status, 200);
    const read = mentions(full.statements, PANEL_TABLES);
    assert.ok(read.polls > 1 && read.topic_duplicates > 1 && read.helpdesk_tickets > 1, JSON.stringify(read));
    assert.match(full.result.body, /class="card duplicate-banner"/);
    assert.ok(full.result.body.includes(`/c/${slug}/t/${original.id}`), "the banner links the original");
    assert.match(full.result.body, /id="helpdesk-ticket"[^>]*>With our support team: ticket T-4711, pending/);
    assert.ok(full.result.body.includes(`/c/${slug}/polls/${poll.body.poll.id}/vote`), "the poll");
  });
});
