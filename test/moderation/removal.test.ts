import { before, test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { openSse } from "../live/sse-client.ts";
import { browse, getPage } from "../web/web-helpers.ts";

describeEachDatabase("removing and banning members", (env) => {
  let base: string;
  before(async () => {
    base = await env().app.listen({ port: 0, host: "127.0.0.1" });
  });

  const auditActions = async (slug: string, admin: { auth: { token: string } }) =>
    (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries.map(
      (e: { action: string; actor: { id: number }; target: { id: number } }) => [e.action, e.actor.id, e.target.id],
    );

  test("a removed member of a private community loses pages, API and live streams at once", async () => {
    const { slug, admin, members } = await buildCommunity(env(), {
      visibility: "private",
      members: { member: 2, moderator: 2, staff: 1 },
    });
    const [removed, other] = members.member;
    const [moderator, otherModerator] = members.moderator;
    const topic = await buildTopic(env(), slug, other);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, removed.auth)).status, 200);
    const stream = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { cookie: removed.cookie });
    try {
      await stream.waitFor((e) => e.type === "ready");

      const url = (user: { id: number }) => `/api/v1/communities/${slug}/members/${user.id}`;
      assert.equal((await env().api.delete(url(removed), other.auth)).status, 403, "members cannot");
      assert.equal((await env().api.delete(url(admin), moderator.auth)).status, 403, "nor moderators an admin");
      assert.equal((await env().api.delete(url(otherModerator), moderator.auth)).status, 403, "nor a moderator");
      assert.equal((await env().api.delete(url(members.staff[0]), moderator.auth)).status, 403, "nor staff");
      const res = await env().api.delete(url(removed), moderator.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.removal, { userId: removed.id, removed: true, banned: false });

      await buildReply(env(), topic.id, other);
      await stream.waitFor((e) => e.type === "gone");
      assert.ok(!stream.events.some((e) => e.type === "reply"), "no event after the removal");
    } finally {
      stream.close();
    }
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, removed.auth)).status, 404);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, removed.auth)).status, 404);
    assert.equal((await getPage(env(), `/c/${slug}/t/${topic.id}`, removed)).status, 404);
    assert.equal((await env().api.delete(`/api/v1/communities/${slug}/members/${removed.id}`, admin.auth)).status, 404);
    assert.deepEqual((await auditActions(slug, admin))[0], ["member.remove", moderator.id, removed.id]);
    assert.equal(
      (await env().api.delete(`/api/v1/communities/${slug}/members/${otherModerator.id}`, admin.auth)).status,
      200,
      "admins remove moderators",
    );

    const readded = await env().api.put(
      `/api/v1/communities/${slug}/members/${removed.id}`,
      { role: "member" },
      admin.auth,
    );
    assert.equal(readded.status, 200, "removal is not a ban");
  });

  test("a ban keeps a user from joining again or taking part in a public community, until lifted", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const banned = members.member[0];
    const moderator = members.moderator[0];
    const visitor = await buildUser(env());
    const topic = await buildTopic(env(), slug, moderator);
    const ban = (user: { id: number }) => `/api/v1/communities/${slug}/members/${user.id}/ban`;
    const reason = { reason: "Harassing other members." };

    assert.equal((await env().api.put(ban(banned), { reason: "" }, moderator.auth)).status, 422);
    assert.equal((await env().api.put(ban(banned), reason, moderator.auth)).status, 200);
    assert.equal((await env().api.put(ban(visitor), reason, moderator.auth)).status, 200, "a visitor who never joined");
    for (const user of [banned, visitor]) {
      const join = await env().api.post(`/api/v1/communities/${slug}/join`, {}, user.auth);
      assert.equal(join.status, 403);
      assert.match(join.body.error.message, /banned/);
      const reply = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "Still here." }, user.auth);
      assert.equal(reply.status, 403, "no taking part in a public community");
      assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, user.auth)).status, 200, "reads what is public");
    }
    const added = await env().api.put(
      `/api/v1/communities/${slug}/members/${banned.id}`,
      { role: "member" },
      admin.auth,
    );
    assert.equal(added.status, 409, "an admin lifts the ban first");

    assert.equal((await env().api.delete(ban(banned), banned.auth)).status, 403);
    assert.equal((await env().api.delete(ban(banned), moderator.auth)).status, 200);
    assert.equal((await env().api.delete(ban(banned), moderator.auth)).status, 404);
    assert.equal((await env().api.post(`/api/v1/communities/${slug}/join`, {}, banned.auth)).status, 200);
    const actions = await auditActions(slug, admin);
    assert.deepEqual(actions.slice(0, 3), [
      ["member.unban", moderator.id, banned.id],
      ["member.ban", moderator.id, visitor.id],
      ["member.ban", moderator.id, banned.id],
    ]);
  });

  test("a suspended member is not removed without a ban (the suspension would go); a removed or banned champion is none", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1, staff: 1 } });
    const [suspended, champion] = members.member;
    const moderator = members.moderator[0];
    const member = (user: { id: number }) => `/api/v1/communities/${slug}/members/${user.id}`;
    const suspend = await env().api.put(
      `${member(suspended)}/suspension`,
      { days: 30, reason: "Spam" },
      moderator.auth,
    );
    assert.equal(suspend.status, 200, JSON.stringify(suspend.body));
    assert.equal((await env().api.delete(member(suspended), moderator.auth)).status, 409);
    const topic = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "Still suspended, am I?", body: "Trying to post." },
      suspended.auth,
    );
    assert.equal(topic.status, 403, "the suspension holds");
    assert.equal((await env().api.put(`${member(suspended)}/ban`, { reason: "Spam" }, moderator.auth)).status, 200);

    const enrol = await env().api.put(`${member(champion)}/champion`, { champion: true }, members.staff[0].auth);
    assert.equal(enrol.status, 200);
    const champions = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/champions`)).body.champions.map((c: { id: number }) => c.id);
    assert.deepEqual(await champions(), [champion.id]);
    assert.equal((await env().api.put(`${member(champion)}/ban`, { reason: "Abuse" }, moderator.auth)).status, 200);
    assert.deepEqual(await champions(), []);
    assert.equal((await env().api.delete(`${member(champion)}/ban`, moderator.auth)).status, 200);
    assert.deepEqual(await champions(), [], "lifting the ban does not make a champion again");
  });

  test("the member's profile has remove and ban forms for moderators, behind CSRF", async () => {
    const { slug, members } = await buildCommunity(env(), {
      visibility: "private",
      members: { member: 2, moderator: 1 },
    });
    const [target, other] = members.member;
    const moderator = members.moderator[0];
    const profile = `/c/${slug}/u/${target.id}`;
    assert.doesNotMatch((await getPage(env(), profile, other)).body, /\/ban"/, "no forms for members");
    const browser = await browse(env(), moderator);
    const page = await browser.get(profile);
    assert.match(page.body, new RegExp(`action="${profile}/remove"`));
    assert.match(page.body, new RegExp(`action="${profile}/ban"`));
    assert.equal((await browser.submit(`${profile}/ban`, { reason: "Spam.", _csrf: "forged" })).status, 403);
    const done = await browser.submit(`${profile}/ban`, { reason: "Spam, again." });
    assert.equal(done.status, 303);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, target.auth)).status, 404);
    const row = await env()
      .deps.db.selectFrom("communityBans")
      .select(["reason", "bannedBy"])
      .where("userId", "=", target.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { reason: "Spam, again.", bannedBy: moderator.id });
  });
});
