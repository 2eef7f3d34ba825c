import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actorOf,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { drainJobs, followerOfAnsweredTopic, freePort, startSmtp } from "./support.ts";
import { sendDigests } from "../../src/notifications/notifications.digest.ts";
import { markRead } from "../../src/notifications/notifications.service.ts";

const downPort = await freePort();
const sentTo = (server: Awaited<ReturnType<typeof startSmtp>>, address: string) =>
  server.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address));

/** The member's emails of one kind (a notification's, or "digest.daily"), oldest first. */
const emailsOf = (env: TestEnv, member: TestUser, kind: string) =>
  env.deps.db
    .selectFrom("emailDeliveries")
    .select(["status", "subject", "textBody"])
    .where("userId", "=", member.id)
    .where("kind", "=", kind)
    .orderBy("id")
    .execute();

const choose = async (env: TestEnv, member: TestUser, preferences: Record<string, string>) =>
  assert.equal((await env.api.put("/api/v1/me/notification-preferences", { preferences }, member.auth)).status, 200);

/** Brings the SMTP server up a day later, so every email waiting for its retry goes (or is withdrawn). */
async function retryWithServerUp(env: TestEnv) {
  const back = await startSmtp(downPort);
  try {
    env.clock.advance(24 * 3600_000);
    await drainJobs(env);
  } finally {
    await back.close();
  }
  return back;
}

describeEachDatabase(
  "emails and digests follow the member's choices as they are when they go",
  (env) => {
    test("a digest built while the member marks all read does not mail what they read", async () => {
      const { follower } = await followerOfAnsweredTopic(env(), "Router keeps dropping the line", "Try another cable.");
      // The digest has listed the notification; "Mark all as read" commits before it claims it.
      const deps = openingTransactionAfter(env().deps, () => markRead(env().deps, actorOf(follower), { all: true }));
      assert.equal(await sendDigests(deps, "daily"), 0);
      assert.deepEqual(await emailsOf(env(), follower, "digest.daily"), []);
    });

    test("a kind turned from email to the daily digest does not mail again what was mailed", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Voicemail greeting resets" });
      await buildReply(env(), topic.id, helper, "Record it again from the handset.");
      await drainJobs(env());
      const back = await retryWithServerUp(env());
      assert.equal(sentTo(back, asker.email).length, 1, "the reply is emailed");
      await choose(env(), asker, { reply: "daily" });
      await sendDigests(env().deps, "daily");
      assert.deepEqual(await emailsOf(env(), asker, "digest.daily"), [], "no digest repeats it");
      await buildReply(env(), topic.id, helper, "Or reset the box.");
      await drainJobs(env());
      await sendDigests(env().deps, "daily");
      const digests = await emailsOf(env(), asker, "digest.daily");
      assert.equal(digests.length, 1);
      assert.equal(digests[0].subject, "Your daily digest: 1 new", "only the reply not mailed before");
    });

    test("an email waiting for its retry is withdrawn once the member stopped that kind's emails", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Roaming charges in Sweden" });
      await buildReply(env(), topic.id, helper, "Turn on the EU roaming option.");
      await drainJobs(env()); // the SMTP server is down: the email waits for its retry
      await choose(env(), asker, { reply: "inapp" });
      const back = await retryWithServerUp(env());
      assert.equal(sentTo(back, asker.email).length, 0, "no email after the member turned them off");
      assert.deepEqual(
        (await emailsOf(env(), asker, "reply")).map((e) => e.status),
        ["withdrawn"],
      );
      const inApp = await env().api.get("/api/v1/notifications", asker.auth);
      assert.equal(inApp.body.notifications.length, 1, "the app still shows it");
    });

    test("a digest waiting for its retry is withdrawn once the member took its kind out of digests", async () => {
      const { follower } = await followerOfAnsweredTopic(env(), "Fibre box blinks red", "Check the fibre cable.");
      await sendDigests(env().deps, "daily");
      assert.equal((await emailsOf(env(), follower, "digest.daily")).length, 1);
      await drainJobs(env()); // the SMTP server is down: the digest waits for its retry
      await choose(env(), follower, { followed_answered: "inapp" });
      const back = await retryWithServerUp(env());
      assert.equal(sentTo(back, follower.email).length, 0, "no digest after the member turned it off");
      assert.deepEqual(
        (await emailsOf(env(), follower, "digest.daily")).map((e) => e.status),
        ["withdrawn"],
      );
      await choose(env(), follower, { followed_answered: "daily" });
      await sendDigests(env().deps, "daily");
      assert.deepEqual(
        (await emailsOf(env(), follower, "digest.daily")).map((e) => e.status),
        ["withdrawn", "pending"],
        "chosen again, the next digest lists it",
      );
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);
