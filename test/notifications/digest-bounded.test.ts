import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "./support.ts";
import { DIGEST_MAX_ITEMS, sendDigests } from "../../src/notifications/notifications.digest.ts";
import { notify } from "../../src/notifications/notifications.fanout.ts";

/** `count` notifications of `kind` for the member, one per event. */
async function notifyMany(env: TestEnv, member: TestUser, communityId: number, kind: string, count: number) {
  for (let i = 0; i < count; i++)
    await notify(env.deps, {
      kind,
      userIds: [member.id],
      communityId,
      eventKey: `${kind}:bounded:${member.id}:${i}`,
      data: { title: `Router question ${i}`, url: "/" },
    });
  await drainJobs(env);
}

/** The member's daily digests, oldest first, and how many of their notifications are digested. */
async function digestsOf(env: TestEnv, member: TestUser) {
  const emails = await env.deps.db
    .selectFrom("emailDeliveries")
    .select(["subject", "textBody"])
    .where("userId", "=", member.id)
    .where("kind", "=", "digest.daily")
    .orderBy("id")
    .execute();
  const digested = await env.deps.db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("userId", "=", member.id)
    .where("digestedAt", "is not", null)
    .executeTakeFirstOrThrow();
  return { emails, digested: Number(digested.n) };
}

describeEachDatabase("digests: bounded, claiming what they list", (env) => {
  test("a digest lists and claims at most DIGEST_MAX_ITEMS; the rest go in the next one", async () => {
    const { community, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [follower] = members.member;
    await notifyMany(env(), follower, community.id, "followed_answered", DIGEST_MAX_ITEMS + 2);
    await sendDigests(env().deps, "daily");
    let digests = await digestsOf(env(), follower);
    assert.equal(digests.emails.length, 1);
    assert.equal(digests.emails[0].subject, `Your daily digest: ${DIGEST_MAX_ITEMS} new`);
    assert.equal(digests.emails[0].textBody.match(/^- /gm)?.length, DIGEST_MAX_ITEMS, "lists what it says");
    assert.equal(digests.digested, DIGEST_MAX_ITEMS, "claims only what it lists");
    await sendDigests(env().deps, "daily");
    digests = await digestsOf(env(), follower);
    assert.equal(digests.emails[1]?.subject, "Your daily digest: 2 new", "the rest in the next digest");
    assert.equal(digests.digested, DIGEST_MAX_ITEMS + 2);
  });

  test("unread notifications of other channels do not crowd a digest out", async () => {
    const { community, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [follower] = members.member;
    await notifyMany(env(), follower, community.id, "comment", DIGEST_MAX_ITEMS + 1);
    await notifyMany(env(), follower, community.id, "followed_answered", 1);
    await sendDigests(env().deps, "daily");
    const digests = await digestsOf(env(), follower);
    assert.equal(digests.emails[0]?.subject, "Your daily digest: 1 new");
    assert.equal(digests.digested, 1);
  });
});
