import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs, freePort, startSmtp } from "./support.ts";
import { sendDigests } from "../../src/notifications/notifications.digest.ts";

const downPort = await freePort();
const sentTo = (server: Awaited<ReturnType<typeof startSmtp>>, address: string) =>
  server.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address));

describeEachDatabase(
  "a digest waiting to go, one of whose notifications is no longer shown",
  (env) => {
    test("is withdrawn, and its other notifications go in the next digest", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, helper, follower] = members.member;
      const secret = await buildTopic(env(), slug, asker, { title: "Invoice dispute for contract 4711" });
      const open = await buildTopic(env(), slug, asker, { title: "Router keeps rebooting" });
      for (const topic of [secret, open]) {
        assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth)).status, 200);
        await buildReply(env(), topic.id, helper, "Call the hotline, they can check it.");
      }
      await drainJobs(env());
      assert.equal(await sendDigests(env().deps, "daily"), 1);
      await drainJobs(env()); // the SMTP server is down: the digest waits for its retry
      const billing = await env().api.post(
        `/api/v1/communities/${slug}/categories`,
        { name: "Billing", scope: "private" },
        admin.auth,
      );
      assert.equal(billing.status, 201);
      const moved = await env().api.post(
        `/api/v1/topics/${secret.id}/move`,
        { categoryId: billing.body.category.id },
        admin.auth,
      );
      assert.equal(moved.status, 200);
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(24 * 3600_000);
        await drainJobs(env());
        await sendDigests(env().deps, "daily");
        await drainJobs(env());
      } finally {
        await back.close();
      }
      const mails = sentTo(back, follower.email);
      assert.ok(
        mails.every((m) => !/contract 4711/.test(`${m.subject} ${m.text} ${m.html}`)),
        "the private topic's title reaches no inbox",
      );
      assert.equal(mails.filter((m) => /Router keeps rebooting/.test(m.text ?? "")).length, 1, "the other one, once");
      const deliveries = await env()
        .deps.db.selectFrom("emailDeliveries")
        .select(["status", "textBody"])
        .where("userId", "=", follower.id)
        .orderBy("id")
        .execute();
      assert.deepEqual(
        deliveries.map((d) => d.status),
        ["withdrawn", "sent"],
      );
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);
