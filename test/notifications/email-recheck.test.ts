import { after, test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase, refuseWrites } from "../helpers.ts";
import { drainJobs, freePort, startSmtp } from "./support.ts";
import { getPage } from "../web/web-helpers.ts";

const smtp = await startSmtp();
after(() => smtp.close());

const sentTo = (server: { received: Awaited<ReturnType<typeof startSmtp>>["received"] }, address: string) =>
  server.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address));

describeEachDatabase(
  "a notification's email, when the fan-out fails half-way",
  (env) => {
    test("a fan-out that failed after storing the notifications still emails them when it runs again", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Voicemail greeting resets" });
      const repair = await refuseWrites(env(), { name: "outbox_down", table: "email_deliveries", event: "insert" });
      await buildReply(env(), topic.id, helper, "Record it again from the handset.");
      await drainJobs(env());
      const failed = await env()
        .deps.db.selectFrom("jobs")
        .select(["status", "lastError"])
        .where("name", "=", "notifications.fanout")
        .where("lastError", "is not", null)
        .executeTakeFirstOrThrow();
      assert.equal(failed.status, "pending", "the fan-out waits for its retry");
      assert.match(failed.lastError ?? "", /outbox_down/);
      await repair();
      env().clock.advance(24 * 3600_000);
      await drainJobs(env());
      assert.equal(sentTo(smtp, asker.email).length, 1, "the asker hears of the reply by email once");
      const inApp = await env().api.get("/api/v1/notifications", asker.auth);
      assert.equal(inApp.body.notifications.filter((n: any) => n.kind === "reply").length, 1);
    });
  },
  { smtpUrl: smtp.url },
);

const downPort = await freePort();
describeEachDatabase(
  "a queued email whose post was hidden since",
  (env) => {
    test("is withdrawn instead of sent, and admins see it withdrawn", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
      const [asker, spammer] = members.member;
      const mod = members.moderator[0];
      const admin = await buildUser(env(), { platformAdmin: true });
      const topic = await buildTopic(env(), slug, asker, { title: "Roaming charges in Norway" });
      const reply = await buildReply(env(), topic.id, spammer, "Cheap roaming SIMs at my shop");
      await drainJobs(env()); // the SMTP server is down: the email waits for its retry
      const hidden = await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "Advertising" }, mod.auth);
      assert.equal(hidden.body.state, "hidden");
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(24 * 3600_000);
        await drainJobs(env());
        assert.equal(sentTo(back, asker.email).length, 0, "nothing about the hidden reply reaches the asker");
        assert.equal(sentTo(back, spammer.email).length, 1, "its author is told it was hidden");
      } finally {
        await back.close();
      }
      const emails = (await env().api.get("/api/v1/admin/emails", admin.auth)).body.emails;
      const delivery = emails.find((e: any) => e.toAddress === asker.email);
      assert.equal(delivery.status, "withdrawn");
      const outbox = await getPage(env(), "/admin/emails", admin);
      assert.match(outbox.body, /Withdrawn/);
    });

    test("an email whose post is still shown goes out on the retry", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Roaming charges in Sweden" });
      await buildReply(env(), topic.id, helper, "Turn on the EU roaming option.");
      await drainJobs(env());
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(24 * 3600_000);
        await drainJobs(env());
        assert.equal(sentTo(back, asker.email).length, 1);
      } finally {
        await back.close();
      }
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);
