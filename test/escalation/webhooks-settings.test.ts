import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { actorOf, buildCommunity, describeEachDatabase, openingTransactionAfter } from "../helpers.ts";
import type { Deps } from "../../src/core/deps.ts";
import { communityAccess } from "../../src/communities/index.ts";
import { deliverWebhookJob, setWebhook } from "../../src/escalation/webhooks.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask, roomyLimits } from "../routing/support.ts";
import { startReceiver, type Receiver } from "./support.ts";

/** A query builder whose execution first awaits `before` (every builder chained from it too). */
function waitingBuilder<T extends object>(builder: T, before: () => Promise<unknown>): T {
  return new Proxy(builder, {
    get(target, prop) {
      const member = Reflect.get(target, prop);
      if (typeof member !== "function") return member;
      if (typeof prop === "string" && prop.startsWith("execute"))
        return async (...args: unknown[]) => {
          await before();
          return member.apply(target, args);
        };
      return (...args: unknown[]) => {
        const next = member.apply(target, args);
        return next !== null && typeof next === "object" && "execute" in next ? waitingBuilder(next, before) : next;
      };
    },
  });
}

/** `db` whose inserts first await `before`, in its transactions too. */
function insertingAfter(db: Deps["db"], before: () => Promise<unknown>): Deps["db"] {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "insertInto") return (table: never) => waitingBuilder(target.insertInto(table), before);
      if (prop === "transaction")
        return () => ({
          execute: (work: (trx: Deps["db"]) => Promise<unknown>) =>
            target.transaction().execute((trx) => work(insertingAfter(trx, before))),
        });
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A query builder whose execution, once done, awaits `after` (every builder chained from it too). */
function afterRead<T extends object>(builder: T, after: () => Promise<unknown>): T {
  return new Proxy(builder, {
    get(target, prop) {
      const member = Reflect.get(target, prop);
      if (typeof member !== "function") return member;
      if (typeof prop === "string" && prop.startsWith("execute"))
        return async (...args: unknown[]) => {
          const result = await member.apply(target, args);
          await after();
          return result;
        };
      return (...args: unknown[]) => {
        const next = member.apply(target, args);
        return next !== null && typeof next === "object" && "execute" in next ? afterRead(next, after) : next;
      };
    },
  });
}

describeEachDatabase(
  "webhook settings",
  (env) => {
    let receiver: Receiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(() => receiver.close());

    test("credentials and query values in the webhook's address are the admin's: staff see deliveries without them", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const staff = members.staff[0];
      const url = `${receiver.url.replace("http://", "http://desk-user:desk-password-42@")}?token=desk-token-7&v=2`;
      assert.equal((await env().api.put(`/api/v1/communities/${slug}/webhook`, { url }, admin.auth)).status, 200);
      const topic = await ask(env(), slug, members.member[0]);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
      await drainJobs(env());
      assert.equal(receiver.received.at(-1)?.headers.authorization, "Basic ZGVzay11c2VyOmRlc2stcGFzc3dvcmQtNDI=");

      const res = await env().api.get(`/api/v1/communities/${slug}/webhook/deliveries`, staff.auth);
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.deliveries.map((d: any) => [d.event, d.status, d.url]),
        [["topic.escalated", "sent", `${receiver.url}?token=*&v=*`]],
      );
      assert.doesNotMatch(JSON.stringify(res.body), /desk-user|desk-password-42|desk-token-7/);
      // The admin, who set it, still sees it whole.
      assert.equal((await env().api.get(`/api/v1/communities/${slug}/webhook`, admin.auth)).body.webhook.url, url);
    });

    test("a paused webhook stays paused when its address changes without saying so", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const webhook = `/api/v1/communities/${slug}/webhook`;
      assert.equal((await env().api.put(webhook, { url: receiver.url, active: false }, admin.auth)).status, 200);
      const moved = receiver.url.replace("/hooks/", "/hooks/v2/");
      const changed = await env().api.put(webhook, { url: moved }, admin.auth);
      assert.deepEqual([changed.status, changed.body.webhook.url, changed.body.webhook.active], [200, moved, false]);
      const before = receiver.received.length;
      const topic = await ask(env(), slug, members.member[0]);
      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, members.staff[0].auth)).status,
        200,
      );
      await drainJobs(env());
      assert.equal(receiver.received.length, before, "nothing is sent while paused");
      // Said so, it resumes.
      const resumed = await env().api.put(webhook, { url: moved, active: true }, admin.auth);
      assert.equal(resumed.body.webhook.active, true);
    });

    // Two admins at once: one pauses the webhook and rotates its secret, the other moves its address
    // only. Read before the first saved and written after, the move would put back what it read.
    test("an address changed while another admin pauses the webhook and rotates its secret undoes neither", async () => {
      const { slug, admin } = await buildCommunity(env(), {});
      const webhook = `/api/v1/communities/${slug}/webhook`;
      const first = await env().api.put(webhook, { url: receiver.url, timeoutSeconds: 7 }, admin.auth);
      assert.equal(first.status, 200);
      const rotated = "rotated-secret-of-the-other-admin";
      // The other admin's change commits between this save's read (if any) and its write.
      let other: Promise<unknown> | null = null;
      const beforeWrite = () =>
        (other ??= env()
          .api.put(webhook, { url: receiver.url, secret: rotated, active: false }, admin.auth)
          .then((res) => assert.equal(res.status, 200)));
      // The save writes in a transaction with its audit entry: on PostgreSQL the other change commits
      // inside it, before its write; on SQLite, whose transactions run one at a time, as it opens.
      const interleaved: Deps =
        env().deps.dialect === "postgres"
          ? { ...env().deps, db: insertingAfter(env().deps.db, beforeWrite) }
          : openingTransactionAfter(env().deps, beforeWrite);
      const moved = receiver.url.replace("/hooks/", "/hooks/v2/");
      const access = await communityAccess(env().deps, { slug }, actorOf(admin));
      await setWebhook(interleaved, access, { url: moved });
      const stored = (await env().api.get(webhook, admin.auth)).body.webhook;
      assert.deepEqual([stored.url, stored.secret, stored.active, stored.timeoutSeconds], [moved, rotated, false, 7]);
    });

    test("a webhook removed takes its waiting deliveries with it: one created later is not sent them", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const webhook = `/api/v1/communities/${slug}/webhook`;
      const down = receiver.url.replace("/hooks/", "/hooks/down/");
      receiver.script.push({ status: 500 });
      assert.equal((await env().api.put(webhook, { url: down }, admin.auth)).status, 200);
      const topic = await ask(env(), slug, members.member[0]);
      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, members.staff[0].auth)).status,
        200,
      );
      await drainJobs(env());
      const deliveries = async () =>
        (await env().api.get(`${webhook}/deliveries`, members.staff[0].auth)).body.deliveries;
      assert.equal((await deliveries())[0].status, "pending", "answered 500: waiting for its retry");

      assert.equal((await env().api.delete(webhook, admin.auth)).status, 200);
      assert.deepEqual(
        (await deliveries()).map((d: any) => [d.status, d.outcome, d.nextAttemptAt]),
        [["failed", "failed", null]],
      );
      // Another receiver, another secret, before the retry was due: nothing of the old one reaches it.
      const other = receiver.url.replace("/hooks/", "/hooks/other/");
      assert.equal(
        (await env().api.put(webhook, { url: other, secret: "another-secret-0123456789abcdef" }, admin.auth)).status,
        200,
      );
      const before = receiver.received.length;
      env().clock.advance(24 * 3600_000);
      await drainJobs(env());
      assert.equal(receiver.received.length, before, "nothing sent to the new webhook");
    });

    test("a webhook removed while its receiver answers: the delivery stays failed, its job ends", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const webhook = `/api/v1/communities/${slug}/webhook`;
      const staff = members.staff[0];
      const down = receiver.url.replace("/hooks/", "/hooks/removed-in-flight/");
      const other = receiver.url.replace("/hooks/", "/hooks/next-in-flight/");
      assert.equal((await env().api.put(webhook, { url: down }, admin.auth)).status, 200);
      // The admin removes the webhook, and sets another, while the receiver is answering 500.
      const meanwhile: number[] = [];
      receiver.script.push({
        status: 500,
        meanwhile: async () => {
          meanwhile.push((await env().api.delete(webhook, admin.auth)).status);
          const next = { url: other, secret: "the-next-webhook-secret-0123456789" };
          meanwhile.push((await env().api.put(webhook, next, admin.auth)).status);
        },
      });
      const topic = await ask(env(), slug, members.member[0]);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
      await drainJobs(env());
      assert.deepEqual(meanwhile, [200, 200]);
      const [delivery] = (await env().api.get(`${webhook}/deliveries`, staff.auth)).body.deliveries;
      assert.deepEqual([delivery.status, delivery.nextAttemptAt], ["failed", null], "failed with its webhook");
      const job = await env()
        .deps.db.selectFrom("jobs")
        .select("status")
        .where("name", "=", deliverWebhookJob.name)
        .where("payload", "=", JSON.stringify({ deliveryId: delivery.id }))
        .executeTakeFirstOrThrow();
      assert.equal(job.status, "done", "its job ends: no retry is left queued");

      env().clock.advance(24 * 3600_000);
      await drainJobs(env());
      assert.deepEqual(
        receiver.received.filter((r) => r.path.includes("/next-in-flight/")),
        [],
        "nothing meant for the removed webhook reaches the next one",
      );
    });

    test("a webhook replaced between reading a delivery and sending it: the new one is not sent it", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const webhook = `/api/v1/communities/${slug}/webhook`;
      const staff = members.staff[0];
      const old = receiver.url.replace("/hooks/", "/hooks/replaced-old/");
      const other = receiver.url.replace("/hooks/", "/hooks/replaced-new/");
      assert.equal((await env().api.put(webhook, { url: old }, admin.auth)).status, 200);
      const topic = await ask(env(), slug, members.member[0]);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
      const [delivery] = (await env().api.get(`${webhook}/deliveries`, staff.auth)).body.deliveries;
      assert.equal(delivery.status, "pending");
      // Right after the job's first read, the admin removes the webhook and sets another.
      let replaced: Promise<unknown> | null = null;
      const replace = () =>
        (replaced ??= (async () => {
          assert.equal((await env().api.delete(webhook, admin.auth)).status, 200);
          const next = { url: other, secret: "the-replacing-webhook-secret-01234" };
          assert.equal((await env().api.put(webhook, next, admin.auth)).status, 200);
        })());
      const db = env().deps.db;
      const interleaved: Deps = {
        ...env().deps,
        db: new Proxy(db, {
          get(target, prop) {
            if (prop === "selectFrom") return (table: never) => afterRead(target.selectFrom(table), replace);
            const value = Reflect.get(target, prop);
            return typeof value === "function" ? value.bind(target) : value;
          },
        }),
      };
      await deliverWebhookJob.run(interleaved, { deliveryId: delivery.id });
      assert.ok(replaced, "the webhook was replaced during the run");
      await replaced;
      assert.deepEqual(
        receiver.received.filter((r) => r.path.includes("/replaced-new/")),
        [],
        "the webhook set after the removal is not sent what was meant for the removed one",
      );
    });
  },
  // The receiver listens on loopback, as an on-premises help desk would on its network.
  { ...roomyLimits, webhookAllowPrivateNetworks: true },
);
