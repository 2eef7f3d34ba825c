import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { WEBHOOK_ATTEMPTS, retryDelivery, webhookBackoff } from "../../src/escalation/webhooks.ts";
import { communityAccess } from "../../src/communities/index.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs, freePort } from "../notifications/support.ts";
import { ask, roomyLimits } from "../routing/support.ts";
import { configureCategory, startReceiver, statusOf, type Receiver } from "./support.ts";

const SECRET = "a-shared-secret-for-tests-0123456789";

describeEachDatabase(
  "escalation webhook",
  (env) => {
    let receiver: Receiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(() => receiver.close());

    async function hooked(url: string, extra: Record<string, unknown> = {}) {
      const built = await buildCommunity(env(), { categories: ["Internet"], members: { member: 2, staff: 1 } });
      const set = await env().api.put(
        `/api/v1/communities/${built.slug}/webhook`,
        { url, secret: SECRET, ...extra },
        built.admin.auth,
      );
      assert.equal(set.status, 200);
      return { ...built, staff: built.members.staff[0], asker: built.members.member[0] };
    }
    const deliveries = async (slug: string, auth: { token: string }) =>
      (await env().api.get(`/api/v1/communities/${slug}/webhook/deliveries`, auth)).body.deliveries;

    test("an escalation is POSTed as signed JSON; the delivery is logged for staff", async () => {
      receiver.received.length = 0;
      const { slug, staff, asker, members } = await hooked(receiver.url);
      const topic = await ask(env(), slug, asker, { title: "Billing portal shows an error", tags: ["billing"] });
      await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
      assert.equal(receiver.received.length, 0, "sent by the queue, not in the request");
      await drainJobs(env());
      assert.equal(receiver.received.length, 1);
      const [request] = receiver.received;
      const timestamp = String(request.headers["x-crowdservice-timestamp"]);
      const expected = `sha256=${crypto.createHmac("sha256", SECRET).update(`${timestamp}.${request.body}`).digest("hex")}`;
      assert.equal(request.headers["x-crowdservice-signature"], expected);
      assert.equal(request.headers["x-crowdservice-event"], "topic.escalated");
      assert.equal(request.headers["content-type"], "application/json");
      const body = JSON.parse(request.body);
      assert.equal(body.event, "topic.escalated");
      assert.equal(body.topic.id, topic.id);
      assert.equal(body.topic.title, "Billing portal shows an error");
      assert.equal(body.topic.url, `${env().deps.config.baseUrl}${topic.url}`);
      assert.equal(body.topic.status, "escalated");
      assert.deepEqual(body.escalation.by, { id: staff.id, name: staff.name });
      assert.equal(body.escalation.reason, "manual");
      const [delivery] = await deliveries(slug, staff.auth);
      assert.deepEqual([delivery.status, delivery.outcome], ["sent", "delivered"]);
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.responseStatus, 200);
      assert.equal(String(request.headers["x-crowdservice-delivery"]), String(delivery.id));
      assert.equal(
        (await env().api.get(`/api/v1/communities/${slug}/webhook/deliveries`, members.member[1].auth)).status,
        403,
      );
    });

    test("a receiver answering 500 gets the same delivery again after the backoff, until it succeeds", async () => {
      receiver.received.length = 0;
      receiver.script.push({ status: 500 });
      const { slug, staff, asker } = await hooked(receiver.url);
      const topic = await ask(env(), slug, asker);
      await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
      await drainJobs(env());
      let [delivery] = await deliveries(slug, staff.auth);
      assert.deepEqual(
        [delivery.status, delivery.attempts, delivery.responseStatus, delivery.outcome, delivery.lastError],
        ["pending", 1, 500, "failed", "The receiver answered 500."],
      );
      assert.equal(Date.parse(delivery.nextAttemptAt), env().clock.now() + webhookBackoff(1));
      env().clock.advance(webhookBackoff(1));
      await drainJobs(env());
      [delivery] = await deliveries(slug, staff.auth);
      assert.deepEqual([delivery.status, delivery.attempts, delivery.responseStatus], ["sent", 2, 200]);
      assert.equal(receiver.received.length, 2);
      assert.equal(receiver.received[0].body, receiver.received[1].body, "the same payload");
      assert.equal(
        receiver.received[0].headers["x-crowdservice-delivery"],
        receiver.received[1].headers["x-crowdservice-delivery"],
      );
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
    });

    test("a slow receiver times out and is retried", async () => {
      receiver.received.length = 0;
      receiver.script.push({ status: 200, delayMs: 3000 });
      const { slug, staff, asker } = await hooked(receiver.url, { timeoutSeconds: 1 });
      const topic = await ask(env(), slug, asker);
      await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
      await drainJobs(env());
      let [delivery] = await deliveries(slug, staff.auth);
      assert.deepEqual(
        [delivery.status, delivery.attempts, delivery.outcome, delivery.lastError],
        ["pending", 1, "unreachable", "The receiver could not be reached."],
      );
      env().clock.advance(webhookBackoff(1));
      await drainJobs(env());
      [delivery] = await deliveries(slug, staff.auth);
      assert.equal(delivery.status, "sent");
    });

    test("a receiver that is down blocks nothing: posting and escalating succeed, every attempt is logged, then it fails visibly and can be retried", async () => {
      const { slug, staff, asker, admin, categories } = await hooked(`http://127.0.0.1:${await freePort()}/down`);
      await configureCategory(env(), slug, admin, categories[0].id, { firstResponseMinutes: 10 });
      const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
      env().clock.advance(10 * 60_000);
      await drainJobs(env());
      assert.equal(
        await statusOf(env(), topic.id, asker),
        "escalated",
        "the SLA escalation stands whatever the receiver does",
      );
      let [delivery] = await deliveries(slug, staff.auth);
      assert.deepEqual([delivery.status, delivery.attempts, delivery.responseStatus], ["pending", 1, null]);
      // The admin learns that it was unreachable, not the socket's error (which would map the network).
      assert.deepEqual([delivery.outcome, delivery.lastError], ["unreachable", "The receiver could not be reached."]);
      for (let attempt = 1; attempt < WEBHOOK_ATTEMPTS; attempt++) {
        env().clock.advance(webhookBackoff(attempt));
        await drainJobs(env());
      }
      [delivery] = await deliveries(slug, staff.auth);
      assert.deepEqual(
        [delivery.status, delivery.attempts, delivery.nextAttemptAt],
        ["failed", WEBHOOK_ATTEMPTS, null],
      );
      assert.equal(
        (await env().api.post(`/api/v1/communities/${slug}/webhook/deliveries/${delivery.id}/retry`, {}, asker.auth))
          .status,
        403,
      );
      // The help desk is back at a new address: fix the webhook, retry the delivery.
      receiver.received.length = 0;
      await env().api.put(`/api/v1/communities/${slug}/webhook`, { url: receiver.url }, admin.auth);
      assert.equal(
        (await env().api.post(`/api/v1/communities/${slug}/webhook/deliveries/${delivery.id}/retry`, {}, staff.auth))
          .status,
        200,
      );
      assert.equal(
        (await env().api.post(`/api/v1/communities/${slug}/webhook/deliveries/${delivery.id}/retry`, {}, staff.auth))
          .status,
        409,
      );
      await drainJobs(env());
      [delivery] = await deliveries(slug, staff.auth);
      assert.equal(delivery.status, "sent");
      assert.equal(receiver.received.length, 1, "a retried delivery goes to the webhook's current address");
    });

    test("a failed delivery retried several times at once is sent again once", async () => {
      const { slug, staff, community } = await hooked(receiver.url);
      const delivery = await env()
        .deps.db.insertInto("webhookDeliveries")
        .values({
          communityId: community.id,
          topicId: null,
          event: "topic.escalated",
          url: receiver.url,
          payload: "{}",
          status: "failed",
          attempts: WEBHOOK_ATTEMPTS,
          responseStatus: 500,
          lastError: "The receiver answered 500.",
          createdAt: env().clock.now(),
          deliveredAt: null,
          nextAttemptAt: null,
          dedupeKey: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const actor = {
        ...staff,
        email: "staff@example.test",
        isPlatformAdmin: false,
        locale: null,
        via: "token" as const,
      };
      const access = await communityAccess(env().deps, { slug }, actor);
      const retries = await Promise.allSettled([1, 2, 3].map(() => retryDelivery(env().deps, access, delivery.id)));
      assert.deepEqual(retries.map((r) => r.status).sort(), ["fulfilled", "rejected", "rejected"]);
      const jobs = await env()
        .deps.db.selectFrom("jobs")
        .select("id")
        .where("name", "=", "escalation.webhook")
        .where("payload", "like", `%"deliveryId":${delivery.id}}%`)
        .execute();
      assert.equal(jobs.length, 1, "one delivery job, not one per retry");
    });

    test("configuration: admins only; the secret is generated when not given and kept; only http(s) addresses", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const url = `/api/v1/communities/${slug}/webhook`;
      assert.deepEqual((await env().api.get(url, admin.auth)).body, { webhook: null });
      assert.equal((await env().api.put(url, { url: receiver.url }, members.staff[0].auth)).status, 403);
      assert.equal((await env().api.get(url, members.member[0].auth)).status, 403);
      assert.equal((await env().api.put(url, { url: "ftp://example.com/x" }, admin.auth)).status, 422);
      const created = (await env().api.put(url, { url: receiver.url }, admin.auth)).body.webhook;
      assert.ok(created.secret.length >= 32);
      assert.deepEqual([created.active, created.timeoutSeconds], [true, 5]);
      const changed = (await env().api.put(url, { url: receiver.url, active: false }, admin.auth)).body.webhook;
      assert.equal(changed.secret, created.secret);
      assert.equal(changed.active, false);
      assert.equal((await env().api.delete(url, admin.auth)).status, 200);
      assert.deepEqual((await env().api.get(url, admin.auth)).body, { webhook: null });
    });
  },
  // The receivers of these tests listen on loopback, as an on-premises help desk would on its network.
  { ...roomyLimits, webhookAllowPrivateNetworks: true },
);
