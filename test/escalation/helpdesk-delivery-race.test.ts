import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import type { Deps } from "../../src/core/deps.ts";
import { receiveHelpdeskEvent, type SignedRequest } from "../../src/escalation/helpdesk.ts";
import { signPayload } from "../../src/escalation/webhooks.ts";
import { buildCommunity, describeEachDatabase, openingTransactionAfter, until, type TestEnv } from "../helpers.ts";
import { ask } from "../routing/support.ts";
import { HELPDESK_SECRET } from "./support.ts";

/** A signal the test waits for, and a gate the paused delivery waits on. */
function pause() {
  let reached = (_xid: string) => {};
  let open = () => {};
  const atGate = new Promise<string>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { reached, atGate, gate, open };
}

/**
 * Deps whose every transaction does its work, then waits at the gate before it commits, and fails
 * there (as a lost connection would) when `fail` is set. It tells the test its PostgreSQL transaction
 * id once at the gate.
 */
function pausingBeforeCommit(env: TestEnv, gate: ReturnType<typeof pause>, fail: boolean): Deps {
  const target = env.deps.db;
  const db = new Proxy(target, {
    get(_, prop) {
      if (prop === "transaction")
        return () => ({
          execute: <T>(work: (trx: typeof target) => Promise<T>) =>
            target.transaction().execute(async (trx) => {
              const result = await work(trx);
              const xid =
                env.deps.dialect === "postgres"
                  ? (await sql<{ xid: string }>`select pg_current_xact_id()::xid::text as xid`.execute(trx)).rows[0].xid
                  : "";
              gate.reached(xid);
              await gate.gate;
              if (fail) throw new Error("connection lost before the commit");
              return result;
            }),
        });
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { ...env.deps, db };
}

/** Whether a PostgreSQL session waits on the transaction `xid` (a row it wrote and has not committed). */
async function waitsOn(env: TestEnv, xid: string) {
  const { rows } = await sql<{ waiting: boolean }>`select exists (select 1 from pg_locks
    where locktype = 'transactionid' and transactionid = ${xid}::xid and not granted) as waiting`.execute(env.deps.db);
  return rows[0].waiting;
}

// Two copies of one delivery at once (the help desk retried before the first answer came): the dedup
// claim and the event's work commit in one transaction, so the copy answers `duplicate` only once the
// work is committed, and a first attempt that fails leaves the event to the copy, which applies it.
describeEachDatabase("help desk: a delivery and its copy at once", (env) => {
  async function closingEvent() {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const put = { url: "https://helpdesk.example.com/hook", secret: HELPDESK_SECRET, active: false };
    assert.equal((await env().api.put(`/api/v1/communities/${slug}/webhook`, put, admin.auth)).status, 200);
    const [staff] = members.staff;
    const topic = await ask(env(), slug, members.member[0]);
    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    /** An event of ticket 4711 about the topic, signed, under a delivery id. */
    const signedEvent = (event: Record<string, unknown>, delivery: string): SignedRequest => {
      const body = JSON.stringify({ topicId: topic.id, ticketId: "4711", ...event });
      const timestamp = String(Math.floor(env().clock.now() / 1000));
      return {
        rawBody: body,
        headers: {
          "x-crowdservice-timestamp": timestamp,
          "x-crowdservice-signature": signPayload(HELPDESK_SECRET, timestamp, body),
          "x-crowdservice-delivery": delivery,
        },
      };
    };
    const signed = () => signedEvent({ type: "ticket.closed", agentEmail: staff.email }, `close-${topic.id}`);
    const resolvedAt = async () =>
      (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case.resolvedAt as string | null;
    const outcomes = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/helpdesk/events`, staff.auth)).body.events
        .map((e: { outcome: string }) => e.outcome)
        .reverse();
    return { slug, topicId: topic.id, signed, signedEvent, resolvedAt, outcomes };
  }

  test("a copy arriving while the first attempt waits to begin its work applies the event itself", async () => {
    const { slug, signed, resolvedAt, outcomes } = await closingEvent();
    const gate = pause();
    const request = signed();
    const first = receiveHelpdeskEvent(
      openingTransactionAfter(env().deps, async () => {
        gate.reached("");
        await gate.gate;
        throw new Error("connection lost");
      }),
      slug,
      request,
    );
    const failed = assert.rejects(first, /connection lost/);
    await gate.atGate;
    const copy = await receiveHelpdeskEvent(env().deps, slug, request);
    gate.open();
    await failed;
    assert.deepEqual(copy, { ok: true, duplicate: false, outcome: "case resolved" }, "not a duplicate of nothing");
    assert.ok(await resolvedAt());
    env().clock.advance(1000);
    assert.deepEqual(await receiveHelpdeskEvent(env().deps, slug, signed()), { ok: true, duplicate: true });
    assert.deepEqual(await outcomes(), ["applied: case resolved", "refused: error", "duplicate"]);
  });

  for (const fail of [true, false])
    test(`a copy waits for the first attempt's commit, then ${fail ? "applies the event it failed" : "is a duplicate"}`, async () => {
      const { slug, signed, resolvedAt, outcomes } = await closingEvent();
      const gate = pause();
      const request = signed();
      const first = receiveHelpdeskEvent(pausingBeforeCommit(env(), gate, fail), slug, request);
      const firstDone = fail ? assert.rejects(first, /connection lost/) : first;
      const xid = await gate.atGate;
      let answered = false;
      const copy = receiveHelpdeskEvent(env().deps, slug, request).finally(() => {
        answered = true;
      });
      // The copy goes as far as it can: PostgreSQL, until it waits on the first attempt's claim;
      // SQLite, until it waits for the one writer (its queries run after what is queued now).
      if (env().deps.dialect === "postgres")
        await until("the copy to wait", async () => answered || waitsOn(env(), xid));
      else await new Promise((resolve) => setImmediate(resolve));
      assert.equal(answered, false, "no answer before the first attempt committed or failed");
      gate.open();
      await firstDone;
      const answer = await copy;
      assert.deepEqual(
        answer,
        fail ? { ok: true, duplicate: false, outcome: "case resolved" } : { ok: true, duplicate: true },
      );
      assert.ok(await resolvedAt(), "the case is resolved, once");
      assert.deepEqual(
        await outcomes(),
        fail ? ["refused: error", "applied: case resolved"] : ["applied: case resolved", "duplicate"],
      );
    });

  test("a ticket.closed and a ticket.status at once take their locks in one order: no deadlock", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, topicId, signed, signedEvent, resolvedAt, outcomes } = await closingEvent();
    const linked = await receiveHelpdeskEvent(env().deps, slug, signedEvent({ type: "ticket.linked" }, "link"));
    assert.equal(linked.outcome, "linked");
    // Another writer holds the ticket's row, so both events are under way before either commits.
    const holder = pause();
    const held = env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await sql`select 1 from helpdesk_tickets where topic_id = ${topicId} for update`.execute(trx);
        holder.reached(
          (await sql<{ xid: string }>`select pg_current_xact_id()::xid::text as xid`.execute(trx)).rows[0].xid,
        );
        await holder.gate;
      });
    const xid = await holder.atGate;
    const closed = receiveHelpdeskEvent(env().deps, slug, signed());
    await until("the closing to wait", () => waitsOn(env(), xid));
    const [{ pid }] = (
      await sql<{ pid: number }>`select pid from pg_locks
        where locktype = 'transactionid' and transactionid = ${xid}::xid and not granted`.execute(env().deps.db)
    ).rows;
    const status = receiveHelpdeskEvent(
      env().deps,
      slug,
      signedEvent({ type: "ticket.status", status: "pending" }, "s"),
    );
    // The status waits on the closing (for the topic's row), not on the holder.
    const behindClosing = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from pg_stat_activity
            where ${pid}::int = any(pg_blocking_pids(pid))`.execute(env().deps.db)
        ).rows[0].n,
      ) > 0;
    await until("the status to wait on the closing", behindClosing);
    holder.open();
    await held;
    const answers = await Promise.all([closed, status]);
    assert.deepEqual(answers, [
      { ok: true, duplicate: false, outcome: "case resolved" },
      { ok: true, duplicate: false, outcome: "ignored: status pending (the ticket is closed)" },
    ]);
    assert.ok(await resolvedAt());
    assert.deepEqual((await outcomes()).slice(1), [
      "applied: case resolved",
      "ignored: status pending (the ticket is closed)",
    ]);
  });
});
