import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import type { Deps } from "../../src/core/deps.ts";
import { AppError } from "../../src/core/errors.ts";
import { transaction, type Tx } from "../../src/core/transaction.ts";
import { escalate, escalateTopic } from "../../src/escalation/escalation.service.ts";
import { accept, lockTopics } from "../../src/topics/index.ts";
import { actorOf, buildCommunity, describeEachDatabase, openingTransactionAfter, type TestEnv } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, roomyLimits } from "../routing/support.ts";

const DAY = 86_400_000;

/**
 * PostgreSQL: runs `write` in a transaction holding the topic's row lock, starts `contender`, waits
 * until a session is blocked on that transaction (so the contender has read and now waits on the row),
 * then commits. Returns what the contender returned. No sleeps: it waits for the lock, not for time.
 */
async function whileHeld<T>(
  env: TestEnv,
  topicId: number,
  write: (tx: Tx) => Promise<unknown>,
  contender: () => Promise<T>,
) {
  let release = () => {};
  let held = (_xid: string) => {};
  const xid = new Promise<string>((resolve) => (held = resolve));
  const holder = transaction(env.deps, async (tx) => {
    await lockTopics(tx, [topicId]);
    await write(tx);
    const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::xid::text as xid`.execute(tx.db);
    held(rows[0].xid);
    await new Promise<void>((resolve) => (release = resolve));
  });
  const holderXid = await xid;
  const result = contender();
  for (;;) {
    const { rows } = await sql<{ waiting: boolean }>`select exists (select 1 from pg_locks
      where locktype = 'transactionid' and transactionid = ${holderXid}::xid and not granted) as waiting`.execute(
      env.deps.db,
    );
    if (rows[0].waiting) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  release();
  await holder;
  return result;
}

async function topicState(env: TestEnv, topicId: number) {
  return env.deps.db
    .selectFrom("topics")
    .select(["acceptedReplyId", "escalatedAt", "abandonedAt"])
    .where("id", "=", topicId)
    .executeTakeFirstOrThrow();
}

describeEachDatabase(
  "escalation races",
  (env) => {
    test("a topic solved while staff escalate it is refused with 409, not reported as escalated", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const topic = await ask(env(), slug, asker);
      const reply = await answer(env(), topic.id, helper);
      const solve = (deps: Deps) => accept(deps, topic.id, actorOf(asker), reply.id);
      if (env().deps.dialect === "postgres") {
        // The escalation reads the topic unsolved, then waits on its row while the solution commits.
        const res = await whileHeld(
          env(),
          topic.id,
          (tx) => solve({ ...env().deps, db: tx.db }),
          () => env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth),
        );
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.equal(res.body.error.code, "conflict");
        assert.equal(typeof res.body.error.message, "string");
      } else {
        // One writer: the solution lands between the escalation's checks and its transaction.
        const racing = openingTransactionAfter(env().deps, () => solve(env().deps));
        await assert.rejects(
          escalate(racing, topic.id, actorOf(staff)),
          (error) => error instanceof AppError && error.status === 409,
        );
      }
      const state = await topicState(env(), topic.id);
      assert.equal(state.acceptedReplyId, reply.id);
      assert.equal(state.escalatedAt, null, "a solved topic is not escalated");
      const audit = await env()
        .deps.db.selectFrom("auditLog")
        .select("action")
        .where("targetType", "=", "topic")
        .where("targetId", "=", topic.id)
        .where("action", "=", "topic.escalate")
        .execute();
      assert.deepEqual(audit, []);
      // Escalating an escalated topic stays idempotent.
      const other = await ask(env(), slug, asker);
      for (let i = 0; i < 2; i++) {
        const res = await env().api.post(`/api/v1/topics/${other.id}/escalate`, {}, staff.auth);
        assert.deepEqual([res.status, res.body], [200, { status: "escalated" }]);
      }
    });

    test("a topic escalated while the abandonment timer fires is escalated, not also abandoned", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await ask(env(), slug, asker);
      await answer(env(), topic.id, helper);
      await drainJobs(env());
      env().clock.advance(14 * DAY);
      const escalateIn = (tx: Tx) =>
        escalateTopic({ ...tx, baseUrl: env().deps.config.baseUrl }, topic.id, "manual", null);
      if (env().deps.dialect === "postgres") {
        // The timer reads the topic before the escalation commits, then meets its row lock.
        await whileHeld(env(), topic.id, escalateIn, () => drainJobs(env()));
      } else {
        // One writer: the escalation commits first, then the timer runs.
        assert.equal(await transaction(env().deps, escalateIn), true);
        await drainJobs(env());
      }
      await drainJobs(env());
      const state = await topicState(env(), topic.id);
      assert.notEqual(state.escalatedAt, null);
      assert.equal(state.abandonedAt, null, "a topic with staff is not abandoned");
    });
  },
  roomyLimits,
);
