import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { drainJobs, freePort, startSmtp } from "./support.ts";
import { sendDigests } from "../../src/notifications/notifications.digest.ts";
import { unsubscribe } from "../../src/notifications/notifications.service.ts";
import { unsubscribeUrl, EMAIL_ATTEMPTS } from "../../src/notifications/notifications.delivery.ts";
import { queueStatus } from "../../src/jobs/jobs.ts";

const smtp = await startSmtp();
after(() => smtp.close());

async function emailsTo(address: string) {
  return smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address));
}

describeEachDatabase(
  "email through SMTP",
  (env) => {
    test("a reply sends the asker a real email in their language, with text, HTML and a working unsubscribe link", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", asker.id).execute();
      const topic = await buildTopic(env(), slug, asker, { title: "Fernseher zeigt kein Bild" });
      await buildReply(env(), topic.id, helper, "Check the HDMI input.");
      await drainJobs(env());
      const [mail] = await emailsTo(asker.email);
      assert.ok(mail, "email received");
      assert.equal(mail.subject, `${helper.name} hat auf dein Thema „Fernseher zeigt kein Bild“ geantwortet`);
      assert.match(mail.text ?? "", /Check the HDMI input\./);
      assert.match(String(mail.html), /<a href="http:\/\/127\.0\.0\.1:3000\/c\//);
      assert.match(String(mail.html), /^<!doctype html><html lang="de">/, "a screen reader speaks it in German");
      // mailparser reads the List-* headers into one "list" object.
      const list = mail.headers.get("list") as { unsubscribe: { url: string }; "unsubscribe-post": { name: string } };
      const url = new URL(list.unsubscribe.url);
      assert.equal(url.pathname, "/unsubscribe");
      assert.match(JSON.stringify(list["unsubscribe-post"]), /One-Click/);
      // One-click unsubscribe, without logging in.
      const res = await env().app.inject({
        method: "POST",
        url: url.pathname + url.search,
        payload: "List-Unsubscribe=One-Click",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(res.statusCode, 200);
      const prefs = await env().api.get("/api/v1/me/notification-preferences", asker.auth);
      assert.equal(prefs.body.preferences.find((p: any) => p.kind === "reply").channel, "inapp");
      const delivery = await env()
        .deps.db.selectFrom("emailDeliveries")
        .selectAll()
        .where("toAddress", "=", asker.email)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.status, "sent");
    });

    test("unsubscribe tokens cannot be forged or moved to another member or kind", async () => {
      const { members } = await buildCommunity(env(), { members: { member: 2 } });
      const [a, b] = members.member;
      const link = new URL(await unsubscribeUrl(env().deps, a.id, "reply"));
      const signature = link.searchParams.get("s")!;
      assert.equal(await unsubscribe(env().deps, b.id, "reply", signature), false, "other member");
      assert.equal(await unsubscribe(env().deps, a.id, "mention", signature), false, "other kind");
      assert.equal(await unsubscribe(env().deps, a.id, "reply", `${signature.slice(0, -2)}xx`), false, "forged");
      assert.equal(await unsubscribe(env().deps, a.id, "nope", signature), false, "unknown kind");
      const page = await env().app.inject({ method: "GET", url: `/unsubscribe?u=${b.id}&k=reply&s=${signature}` });
      assert.equal(page.statusCode, 400);
      assert.equal(await unsubscribe(env().deps, a.id, "reply", signature), true);
    });

    test("daily digest: one email with what the member has not seen, never twice", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, helper, follower] = members.member;
      const first = await buildTopic(env(), slug, asker, { title: "Digest topic number one" });
      const second = await buildTopic(env(), slug, asker, { title: "Digest topic number two" });
      const third = await buildTopic(env(), slug, asker, { title: "Digest topic already read" });
      for (const t of [first, second, third]) await env().api.put(`/api/v1/topics/${t.id}/follow`, {}, follower.auth);
      for (const t of [first, second, third]) await buildReply(env(), t.id, helper);
      await drainJobs(env());
      assert.equal(
        (await emailsTo(follower.email)).length,
        0,
        "followed_answered defaults to the daily digest, not an immediate email",
      );
      const list = (await env().api.get("/api/v1/notifications", follower.auth)).body.notifications;
      const seen = list.find((n: any) => n.title === "Digest topic already read");
      await env().api.post("/api/v1/notifications/read", { ids: [seen.id] }, follower.auth);
      assert.ok((await sendDigests(env().deps, "daily")) >= 1);
      await drainJobs(env());
      const digests = await emailsTo(follower.email);
      assert.equal(digests.length, 1);
      assert.equal(digests[0].subject, "Your daily digest: 2 new");
      assert.match(digests[0].text ?? "", /Digest topic number one/);
      assert.match(digests[0].text ?? "", /Digest topic number two/);
      assert.match(String(digests[0].html), /^<!doctype html><html lang="en">/);
      const digestList = digests[0].headers.get("list") as { unsubscribe?: { url: string } } | undefined;
      assert.match(String(digestList?.unsubscribe?.url), /\/unsubscribe\?/, "one-click unsubscribe on digests too");
      assert.doesNotMatch(digests[0].text ?? "", /already read/);
      const named = await env()
        .deps.db.selectFrom("emailDeliveryActors")
        .innerJoin("emailDeliveries", "emailDeliveries.id", "emailDeliveryActors.deliveryId")
        .select("emailDeliveryActors.userId")
        .where("emailDeliveries.kind", "=", "digest.daily")
        .where("emailDeliveries.userId", "=", follower.id)
        .execute();
      assert.deepEqual(
        named.map((row) => row.userId),
        [helper.id],
        "the digest records whom it names (once), for an account deleted before it is sent",
      );
      await sendDigests(env().deps, "daily");
      await drainJobs(env());
      assert.equal((await emailsTo(follower.email)).length, 1, "nothing new, no second digest");
      await sendDigests(env().deps, "weekly");
      await drainJobs(env());
      assert.equal((await emailsTo(follower.email)).length, 1, "the weekly digest holds only weekly kinds");
    });
  },
  { smtpUrl: smtp.url },
);

const downPort = await freePort();
describeEachDatabase(
  "email when SMTP is down",
  (env) => {
    test("the request succeeds, the delivery retries with backoff and is sent once the server is back", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker);
      const reply = await env().api.post(
        `/api/v1/topics/${topic.id}/replies`,
        { body: "Try a factory reset." },
        helper.auth,
      );
      assert.equal(reply.status, 201, "posting never waits for email");
      await drainJobs(env());
      const pending = await env()
        .deps.db.selectFrom("emailDeliveries")
        .selectAll()
        .where("toAddress", "=", asker.email)
        .executeTakeFirstOrThrow();
      assert.equal(pending.status, "pending");
      assert.equal(pending.attempts, 1);
      assert.ok(pending.lastError, "the error is kept for admins");
      assert.equal((await env().api.get("/api/v1/admin/emails")).status, 401);
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(60_000);
        await drainJobs(env());
        const sent = await env()
          .deps.db.selectFrom("emailDeliveries")
          .selectAll()
          .where("id", "=", pending.id)
          .executeTakeFirstOrThrow();
        assert.equal(sent.status, "sent");
        assert.equal(sent.attempts, 2);
        assert.equal(back.received.length, 1);
      } finally {
        await back.close();
      }
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);

const rejecting = await startSmtp();
rejecting.rejectAll = true;
after(() => rejecting.close());
describeEachDatabase(
  "email when SMTP rejects",
  (env) => {
    test("a rejected email is retried, then marked failed and visible to admins; nothing is lost", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const admin = await buildUser(env(), { platformAdmin: true });
      const topic = await buildTopic(env(), slug, asker);
      await buildReply(env(), topic.id, helper);
      for (let i = 0; i < EMAIL_ATTEMPTS + 2; i++) {
        await drainJobs(env());
        env().clock.advance(24 * 3600_000);
      }
      const row = await env()
        .deps.db.selectFrom("emailDeliveries")
        .selectAll()
        .where("toAddress", "=", asker.email)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, "failed");
      assert.equal(row.attempts, EMAIL_ATTEMPTS);
      assert.match(row.lastError ?? "", /550|Mailbox unavailable/);
      const listed = await env().api.get("/api/v1/admin/emails", admin.auth);
      assert.equal(listed.status, 200);
      assert.ok(listed.body.emails.some((e: any) => e.id === row.id && e.status === "failed"));
      assert.equal((await env().api.get("/api/v1/admin/emails", asker.auth)).status, 403);
      const status = await queueStatus(env().deps.db);
      assert.equal(status.counts.failed ?? 0, 0, "the delivery ended cleanly; its state lives on the delivery");
    });
  },
  { smtpUrl: rejecting.url },
);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-outbox-"));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
describeEachDatabase(
  "email without SMTP_URL",
  (env) => {
    test("emails are written as .eml files to DATA_DIR/outbox", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Outbox topic for the eml test" });
      await buildReply(env(), topic.id, helper);
      await drainJobs(env());
      const files = fs
        .readdirSync(path.join(dataDir, "outbox"))
        .map((f) => fs.readFileSync(path.join(dataDir, "outbox", f), "utf8"));
      const mine = files.find((f) => f.includes(`To: ${asker.email}`));
      assert.ok(mine, "an .eml for the asker");
      assert.match(mine!, /Content-Type: text\/plain/);
      assert.match(mine!, /Content-Type: text\/html/);
    });
  },
  { dataDir },
);
