import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actOnQueuedPost,
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { DAY } from "../reputation/support.ts";

describeEachDatabase("moderator actions", (env) => {
  test("lock and unlock: no replies or comments while locked, shown on the list and the page", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, mod.auth)).status, 200);
    const refused = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "Me too" }, helper.auth);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.message, "This topic is locked: it takes no new replies.");
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "Official word" }, mod.auth)).status,
      403,
      "nobody replies while locked",
    );
    assert.equal(
      (await env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "and a comment" }, asker.auth)).status,
      403,
    );
    const page = await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth);
    assert.equal(page.body.topic.locked, true);
    assert.equal(page.body.topic.abilities.reply, false);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/topics`)).body.topics[0].locked, true);
    const html = (await getPage(env(), topic.url, helper)).body;
    assert.match(html, /This topic is locked: it takes no new replies\./);
    assert.doesNotMatch(html, /action="[^"]+\/reply"/);
    assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/lock`, mod.auth)).status, 200);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "Me too" }, helper.auth)).status,
      201,
    );
    const actions = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries.map(
      (e: { action: string }) => e.action,
    );
    assert.deepEqual(actions.slice(0, 2), ["topic.unlock", "topic.lock"]);
  });

  test("merging a private-category topic into a public one needs an explicit confirmation", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, other] = members.member;
    const billing = await env().api.post(
      `/api/v1/communities/${slug}/categories`,
      { name: "Billing", scope: "private" },
      admin.auth,
    );
    assert.equal(billing.status, 201, JSON.stringify(billing.body));
    const source = await buildTopic(env(), slug, asker, {
      title: "My invoice shows a wrong IBAN",
      categoryId: billing.body.category.id,
    });
    const target = await buildTopic(env(), slug, other, { title: "Where do I see my invoices?" });
    const unconfirmed = await env().api.post(
      `/api/v1/topics/${source.id}/merge`,
      { intoTopicId: target.id },
      admin.auth,
    );
    assert.equal(unconfirmed.status, 422);
    assert.match(unconfirmed.body.error.fields.confirmPublish, /less visible/);
    assert.equal((await env().api.get(`/api/v1/topics/${target.id}`, other.auth)).body.replies.length, 0);
    const confirmed = await env().api.post(
      `/api/v1/topics/${source.id}/merge`,
      { intoTopicId: target.id, confirmPublish: true },
      admin.auth,
    );
    assert.equal(confirmed.status, 200);
  });

  test("move to another category and merge into another topic", async () => {
    const { slug, admin, categories, members } = await buildCommunity(env(), {
      categories: ["Internet", "TV"],
      members: { member: 3, moderator: 1 },
    });
    const [asker, helper, follower] = members.member;
    const mod = members.moderator[0];
    const source = await buildTopic(env(), slug, asker, {
      title: "Router reboots every night",
      categoryId: categories[0].id,
    });
    const target = await buildTopic(env(), slug, helper, { title: "Router restarts at 2 am" });
    const moved = await env().api.post(`/api/v1/topics/${source.id}/move`, { categoryId: categories[1].id }, mod.auth);
    assert.equal(moved.status, 200);
    assert.equal((await env().api.get(`/api/v1/topics/${source.id}`)).body.topic.category.slug, "tv");
    assert.equal(
      (await env().api.post(`/api/v1/topics/${source.id}/move`, { categoryId: 987654 }, mod.auth)).status,
      422,
    );
    const reply = await buildReply(env(), source.id, helper, "Firmware update window");
    await env().api.put(`/api/v1/topics/${source.id}/follow`, {}, follower.auth);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${source.id}/merge`, { intoTopicId: source.id }, mod.auth)).status,
      422,
    );
    const merged = await env().api.post(`/api/v1/topics/${source.id}/merge`, { intoTopicId: target.id }, mod.auth);
    assert.equal(merged.status, 200);
    assert.equal(merged.body.mergedInto, target.id);
    const after = await env().api.get(`/api/v1/topics/${target.id}`);
    assert.deepEqual(after.body.replies.map((r: { body: string }) => r.body).sort(), [
      "Firmware update window",
      "It keeps blinking red.",
    ]);
    assert.equal(after.body.topic.replyCount, 2);
    assert.equal(after.body.topic.followerCount, 1);
    const viaOld = await env().api.get(`/api/v1/topics/${source.id}`);
    assert.equal(viaOld.body.topic.id, target.id, "the merged topic's address leads to the other");
    assert.equal(
      (await env().api.post(`/api/v1/topics/${source.id}/replies`, { body: "late" }, helper.auth)).status,
      404,
    );
    assert.deepEqual(
      (await env().api.get(`/api/v1/communities/${slug}/topics`)).body.topics.map((t: { id: number }) => t.id),
      [target.id],
    );
    assert.equal((await env().api.get(`/api/v1/replies/${reply.id}/history`)).status, 200);
    const actions = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries.map(
      (e: { action: string; details: Record<string, unknown> }) => [e.action, e.details],
    );
    assert.deepEqual(actions.slice(0, 2), [
      ["topic.merge", { into: target.id }],
      ["topic.move", { from: categories[0].id, to: categories[1].id }],
    ]);
  });

  test("a topic merged into one merged later still leads to where its replies went", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [asker] = members.member;
    const [mod] = members.moderator;
    const [a, b, c] = await Promise.all(
      ["A", "B", "C"].map((name) => buildTopic(env(), slug, asker, { title: `Router question ${name}` })),
    );
    for (const [from, into] of [
      [a, b],
      [b, c],
    ])
      assert.equal(
        (await env().api.post(`/api/v1/topics/${from.id}/merge`, { intoTopicId: into.id }, mod.auth)).status,
        200,
      );
    const viaFirst = await env().api.get(`/api/v1/topics/${a.id}`);
    assert.equal(viaFirst.status, 200);
    assert.equal(viaFirst.body.topic.id, c.id, "A leads to C, through B");
    const page = await env().app.inject({ method: "GET", url: `/c/${slug}/t/${a.id}` });
    assert.equal(page.statusCode, 301);
    assert.match(String(page.headers.location), new RegExp(`/t/${c.id}/`));
  });

  test("hide and restore: hidden topics leave lists and pages except for moderators and the author", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, reader] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker);
    assert.equal(
      (await env().api.post(`/api/v1/posts/topic/${topic.id}/hide`, { reason: "Duplicate of a pinned post" }, mod.auth))
        .body.state,
      "hidden",
    );
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, reader.auth)).status, 404);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`)).status, 404);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body.topic.moderationState, "hidden");
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, mod.auth)).status, 200);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/topics`)).body.topics.length, 0);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, reader.auth)).status, 404);
    assert.equal((await env().api.post(`/api/v1/posts/topic/${topic.id}/restore`, {}, mod.auth)).body.state, "visible");
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/topics`)).body.topics.length, 1);
  });

  test("a hidden reply leaves search (its text too) and comes back when restored", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker, { title: "Router keeps blinking orange" });
    const reply = await buildReply(env(), topic.id, helper, "Buy the zyxwonder cable from my shop");
    const found = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/search?q=zyxwonder`)).body.results.length;
    assert.equal(await found(), 1, "indexed when posted");
    assert.equal(
      (await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "Advertising" }, mod.auth)).body.state,
      "hidden",
    );
    await drainJobs(env()); // the re-index is queued with the change
    assert.equal(await found(), 0, "the hidden reply's words are no longer searchable");
    assert.equal((await env().api.post(`/api/v1/posts/reply/${reply.id}/restore`, {}, mod.auth)).body.state, "visible");
    await drainJobs(env());
    assert.equal(await found(), 1);
  });

  test("a suspended member reads but every attempt to take part is refused with the end and the reason", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, moderator: 2 } });
    const [troll, asker] = members.member;
    const [mod, otherMod] = members.moderator;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, asker, "My own follow-up");
    const bad = await env().api.put(
      `/api/v1/communities/${slug}/members/${troll.id}/suspension`,
      { days: 3, reason: "" },
      mod.auth,
    );
    assert.equal(bad.status, 422, "a reason is required");
    const res = await env().api.put(
      `/api/v1/communities/${slug}/members/${troll.id}/suspension`,
      { days: 3, reason: "Repeated insults" },
      mod.auth,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.suspension.suspendedUntil, "2026-01-04T12:00:00.000Z");
    const expected = "You are suspended from this community until 2026-01-04 12:00 UTC. Reason: Repeated insults";
    const attempts = [
      env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "question", title: "Trying to post anyway", body: "x" },
        troll.auth,
      ),
      env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "reply" }, troll.auth),
      env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "comment" }, troll.auth),
      env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, troll.auth),
      env().api.post(`/api/v1/posts/topic/${topic.id}/flags`, { reason: "spam" }, troll.auth),
    ];
    for (const attempt of attempts) {
      const refused = await attempt;
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.message, expected);
    }
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, troll.auth)).status, 200, "reading goes on");
    const profile = await env().api.get(`/api/v1/communities/${slug}/members/${troll.id}/profile`, troll.auth);
    assert.deepEqual(profile.body.profile.suspension, {
      until: "2026-01-04T12:00:00.000Z",
      reason: "Repeated insults",
    });
    const page = (await getPage(env(), topic.url, troll)).body;
    assert.match(page, /Suspended[\s\S]*Reason: Repeated insults/);
    await drainJobs(env());
    const told = (await env().api.get("/api/v1/notifications", troll.auth)).body.notifications;
    assert.equal(told[0].kind, "moderation");
    assert.match(told[0].text, /Repeated insults/);
    // Moderators suspend members only; admins also staff and moderators; nobody suspends an admin.
    assert.equal(
      (
        await env().api.put(
          `/api/v1/communities/${slug}/members/${otherMod.id}/suspension`,
          { days: 1, reason: "Test" },
          mod.auth,
        )
      ).status,
      403,
    );
    assert.equal(
      (
        await env().api.put(
          `/api/v1/communities/${slug}/members/${admin.id}/suspension`,
          { days: 1, reason: "Test" },
          mod.auth,
        )
      ).status,
      403,
    );
    assert.equal(
      (
        await env().api.put(
          `/api/v1/communities/${slug}/members/${otherMod.id}/suspension`,
          { days: 1, reason: "Test run" },
          admin.auth,
        )
      ).status,
      200,
    );
    assert.equal(
      (await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, otherMod.auth)).status,
      403,
      "a suspended moderator cannot moderate",
    );
    const stranger = await buildUser(env());
    assert.equal(
      (
        await env().api.put(
          `/api/v1/communities/${slug}/members/${stranger.id}/suspension`,
          { days: 1, reason: "Test" },
          mod.auth,
        )
      ).status,
      404,
    );
    // It ends by itself, or when lifted.
    env().clock.advance(3 * DAY + 1);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "back again" }, troll.auth)).status,
      201,
    );
    assert.equal(
      (await env().api.delete(`/api/v1/communities/${slug}/members/${otherMod.id}/suspension`, admin.auth)).status,
      200,
    );
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, otherMod.auth)).status, 200);
    const actions = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries.map(
      (e: { action: string }) => e.action,
    );
    assert.deepEqual(actions.slice(0, 4), ["topic.lock", "member.unsuspend", "member.suspend", "member.suspend"]);
  });

  test("platform admins are never suspended", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { moderator: 1 } });
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    await addMember(env(), community.id, platformAdmin.id, "member");
    const res = await env().api.put(
      `/api/v1/communities/${slug}/members/${platformAdmin.id}/suspension`,
      { days: 1, reason: "Test" },
      members.moderator[0].auth,
    );
    assert.equal(res.status, 403);
  });

  test("a moderator deleting a topic tells its author, and the notice names no topic they cannot open", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [author, flagger] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, author, { title: "Cheap fibre deals here" });
    const flagged = await env().api.post(`/api/v1/posts/topic/${topic.id}/flags`, { reason: "spam" }, flagger.auth);
    assert.equal(flagged.status, 201);
    await actOnQueuedPost(env(), slug, mod, topic.id, "delete", { type: "topic", reason: "Advertising" });
    await drainJobs(env());
    const told = (await env().api.get("/api/v1/notifications", author.auth)).body.notifications;
    assert.equal(told.length, 1, JSON.stringify(told));
    assert.equal(told[0].kind, "moderation");
    assert.match(told[0].text, /Advertising/);
    assert.equal(told[0].topicId ?? null, null);
    assert.equal(told[0].url, `/c/${slug}`, "not a link to the deleted topic");
  });
});
