import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "./support.ts";

describeEachDatabase("notifications", (env) => {
  test("a reply notifies the asker once, not the replier, after the job runs", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router blinks red at night" });
    await buildReply(env(), topic.id, helper);
    assert.equal(
      (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications.length,
      0,
      "fan-out waits for the queue",
    );
    await drainJobs(env());
    const list = await env().api.get("/api/v1/notifications", asker.auth);
    assert.equal(list.status, 200);
    assert.equal(list.body.unreadCount, 1);
    const [n] = list.body.notifications;
    assert.equal(n.kind, "reply");
    assert.match(n.text, /replied to your topic “Router blinks red at night”/);
    assert.equal(n.actor.id, helper.id);
    assert.match(n.url, new RegExp(`^${topic.url}#reply-\\d+$`));
    assert.equal((await env().api.get("/api/v1/notifications", helper.auth)).body.notifications.length, 0);
    await drainJobs(env());
    assert.equal(
      (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications.length,
      1,
      "a retried fan-out adds nothing",
    );
  });

  test("the excerpt is plain text, not Markdown", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, helper, "Open **Settings → System** and _then_ `reboot` & <b>restart</b>.");
    await drainJobs(env());
    const [n] = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications;
    assert.equal(n.excerpt, "Open Settings → System and then reboot & <b>restart</b>.");
  });

  test("an excerpt is cut between characters, never inside one", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, helper, `${"a".repeat(276)}${"😀".repeat(10)}`);
    await drainJobs(env());
    const [n] = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications;
    assert.equal(n.excerpt, `${"a".repeat(276)}😀...`, "whole emoji, no lone surrogate");
  });

  test("an edit that takes text out of a post takes it out of the notifications' excerpts too", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, friend] = members.member;
    const handleOf = async (id: number) =>
      (await env().deps.db.selectFrom("users").select("handle").where("id", "=", id).executeTakeFirstOrThrow()).handle;
    const topic = await buildTopic(env(), slug, asker, {
      body: `@${await handleOf(friend.id)} my number is +41 79 555 12 34, any idea?`,
    });
    const reply = await buildReply(env(), topic.id, helper, "Call me on +41 79 555 98 76 tonight.");
    await drainJobs(env());
    const excerpts = async (user: typeof asker) =>
      (await env().api.get("/api/v1/notifications", user.auth)).body.notifications.map(
        (n: { kind: string; excerpt?: string }) => `${n.kind}: ${n.excerpt}`,
      );
    assert.deepEqual(await excerpts(asker), ["reply: Call me on +41 79 555 98 76 tonight."]);
    assert.deepEqual(await excerpts(friend), [
      "mention: @" + (await handleOf(friend.id)) + " my number is +41 79 555 12 34, any idea?",
    ]);

    const editedReply = await env().api.patch(
      `/api/v1/replies/${reply.id}`,
      { body: "Ask the shop tonight." },
      helper.auth,
    );
    assert.equal(editedReply.status, 200);
    const editedTopic = await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Any idea?" }, asker.auth);
    assert.equal(editedTopic.status, 200);
    await drainJobs(env());
    assert.deepEqual(await excerpts(asker), ["reply: Ask the shop tonight."]);
    assert.deepEqual(await excerpts(friend), ["mention: Any idea?"]);
    const stored = await env().deps.db.selectFrom("notifications").select("data").execute();
    assert.ok(
      stored.every((n) => !n.data.includes("555")),
      "no copy left in the table",
    );
  });

  test("a title edit reaches the notifications that named the old title, and only those", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, admin: 1 } });
    const [asker, helper, other] = members.member;
    const [admin] = members.admin;
    const topic = await buildTopic(env(), slug, asker, { title: "Contract 12345678: router blinks red" });
    const merged = await buildTopic(env(), slug, other, { title: "Why does my router blink red at night?" });
    await buildReply(env(), topic.id, helper);
    const merge = await env().api.post(`/api/v1/topics/${merged.id}/merge`, { intoTopicId: topic.id }, admin.auth);
    assert.equal(merge.status, 200, JSON.stringify(merge.body));
    await drainJobs(env());
    const titles = async (user: typeof asker) =>
      (await env().api.get("/api/v1/notifications", user.auth)).body.notifications.map(
        (n: { kind: string; title: string }) => `${n.kind}: ${n.title}`,
      );
    assert.deepEqual(await titles(asker), ["reply: Contract 12345678: router blinks red"]);
    assert.deepEqual(await titles(other), ["moderation: Why does my router blink red at night?"]);

    const edited = await env().api.patch(`/api/v1/topics/${topic.id}`, { title: "Router blinks red" }, asker.auth);
    assert.equal(edited.status, 200);
    await drainJobs(env());
    assert.deepEqual(await titles(asker), ["reply: Router blinks red"]);
    const [reply] = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications;
    assert.match(reply.text, /“Router blinks red”/);
    assert.match(reply.url, new RegExp(`/t/${topic.id}/router-blinks-red#reply-\\d+$`));
    assert.deepEqual(await titles(other), ["moderation: Why does my router blink red at night?"], "named another");
    const stored = await env().deps.db.selectFrom("notifications").select("data").execute();
    assert.ok(
      stored.every((n) => !n.data.includes("12345678")),
      "no copy left in the table",
    );
  });

  test("an asker a reply mentions is told once, by the mention", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const handle = (
      await env().deps.db.selectFrom("users").select("handle").where("id", "=", asker.id).executeTakeFirstOrThrow()
    ).handle;
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, helper, `@${handle} try the other port.`);
    await drainJobs(env());
    const list = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications;
    assert.deepEqual(
      list.map((n: { kind: string }) => n.kind),
      ["mention"],
    );
  });

  test("after a merge, the notifications of the merged topic's posts stay, now on the target", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const source = await buildTopic(env(), slug, asker, { title: "Router blinks red at night" });
    const target = await buildTopic(env(), slug, asker, { title: "Router light is red" });
    await buildReply(env(), source.id, helper, "Replace the power supply.");
    await drainJobs(env());
    const merged = await env().api.post(
      `/api/v1/topics/${source.id}/merge`,
      { intoTopicId: target.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);
    await drainJobs(env());
    const list = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications;
    const reply = list.find((n: { kind: string }) => n.kind === "reply");
    assert.ok(
      reply,
      `the reply's notification is still there: ${JSON.stringify(list.map((n: { kind: string }) => n.kind))}`,
    );
    assert.equal(reply.excerpt, "Replace the power supply.");
  });

  test("comment, accepted answer, followers answered and solved", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, follower] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth);
    const reply = await buildReply(env(), topic.id, helper);
    await env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "Did that work for you?" }, asker.auth);
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
    await drainJobs(env());
    const kinds = async (user: typeof asker) =>
      (await env().api.get("/api/v1/notifications", user.auth)).body.notifications.map((n: any) => n.kind).sort();
    assert.deepEqual(await kinds(helper), ["accepted", "comment"]);
    assert.deepEqual(await kinds(follower), ["followed_answered", "followed_solved"]);
    assert.deepEqual(await kinds(asker), ["reply"]);
  });

  test("mark one read, then all read; only one's own", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, a, b] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, a);
    await buildReply(env(), topic.id, b);
    await drainJobs(env());
    const list = (await env().api.get("/api/v1/notifications", asker.auth)).body;
    assert.equal(list.unreadCount, 2);
    const foreign = await env().api.post("/api/v1/notifications/read", { ids: [list.notifications[0].id] }, a.auth);
    assert.equal(foreign.body.unreadCount, 0, "a's own count");
    assert.equal(
      (await env().api.get("/api/v1/notifications?unread=true", asker.auth)).body.notifications.length,
      2,
      "a cannot mark the asker's",
    );
    const one = await env().api.post("/api/v1/notifications/read", { ids: [list.notifications[0].id] }, asker.auth);
    assert.equal(one.body.unreadCount, 1);
    const unread = await env().api.get("/api/v1/notifications?unread=true", asker.auth);
    assert.deepEqual(
      unread.body.notifications.map((n: any) => n.id),
      [list.notifications[1].id],
    );
    assert.ok((await env().api.get("/api/v1/notifications", asker.auth)).body.notifications[0].readAt);
    const all = await env().api.post("/api/v1/notifications/read", { all: true }, asker.auth);
    assert.equal(all.body.unreadCount, 0);
    assert.equal((await env().api.post("/api/v1/notifications/read", {}, asker.auth)).status, 422);
  });

  test("cursor pagination walks every notification once", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    for (let i = 0; i < 5; i++) {
      const topic = await buildTopic(env(), slug, asker, { title: `Question number ${i} here` });
      await buildReply(env(), topic.id, helper);
    }
    await drainJobs(env());
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: any = await env().api.get(
        `/api/v1/notifications?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        asker.auth,
      );
      seen.push(...page.body.notifications.map((n: any) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.deepEqual(
      [...seen].sort((x, y) => y - x),
      seen,
      "newest first",
    );
  });

  test("preferences: defaults, change, off stops in-app, bad input refused", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const prefs = await env().api.get("/api/v1/me/notification-preferences", asker.auth);
    assert.equal(prefs.status, 200);
    const reply = prefs.body.preferences.find((p: any) => p.kind === "reply");
    assert.deepEqual(reply, { kind: "reply", channel: "email", default: "email" });
    for (const kind of [
      "reply",
      "comment",
      "accepted",
      "mention",
      "followed_answered",
      "followed_solved",
      "routed",
      "escalated",
      "moderation",
    ]) {
      assert.ok(
        prefs.body.preferences.some((p: any) => p.kind === kind),
        kind,
      );
    }
    const changed = await env().api.put(
      "/api/v1/me/notification-preferences",
      { preferences: { reply: "off", mention: "weekly" } },
      asker.auth,
    );
    assert.equal(changed.status, 200);
    assert.equal(changed.body.preferences.find((p: any) => p.kind === "mention").channel, "weekly");
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, helper);
    await drainJobs(env());
    assert.equal((await env().api.get("/api/v1/notifications", asker.auth)).body.notifications.length, 0);
    assert.equal(
      (await env().api.put("/api/v1/me/notification-preferences", { preferences: { reply: "sometimes" } }, asker.auth))
        .status,
      422,
    );
    assert.equal(
      (await env().api.put("/api/v1/me/notification-preferences", { preferences: { nope: "email" } }, asker.auth))
        .status,
      422,
    );
    assert.equal((await env().api.get("/api/v1/me/notification-preferences")).status, 401);
  });

  test("mentions notify members by handle; unknown names and outsiders nobody", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [asker] = members.member;
    const grace = await buildUser(env(), { name: "Grace Hopper" });
    await addMember(env(), community.id, grace.id, "member");
    const outsider = await buildUser(env(), { name: "Ada Lovelace" });
    await buildTopic(env(), slug, asker, {
      body: "Maybe @GraceHopper knows? Or @AdaLovelace, or @nobodyatall. Not `@GraceHopper` in code.",
    });
    await drainJobs(env());
    const graceList = (await env().api.get("/api/v1/notifications", grace.auth)).body.notifications;
    assert.equal(graceList.length, 1);
    assert.equal(graceList[0].kind, "mention");
    assert.equal((await env().api.get("/api/v1/notifications", outsider.auth)).body.notifications.length, 0);
  });

  test("private communities: nobody outside is told, and leaving hides earlier notifications", async () => {
    const { slug, community, members } = await buildCommunity(env(), { visibility: "private", members: { member: 3 } });
    const [asker, helper, leaver] = members.member;
    const topic = await buildTopic(env(), slug, asker, { body: `Asking @${leaver.handle} too` });
    await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, leaver.auth);
    await drainJobs(env());
    assert.equal(
      (await env().api.get("/api/v1/notifications", leaver.auth)).body.notifications.length,
      1,
      "mention while a member",
    );
    // The leaver is removed before the next fan-out runs: checked at send time...
    await env()
      .deps.db.deleteFrom("memberships")
      .where("communityId", "=", community.id)
      .where("userId", "=", leaver.id)
      .execute();
    await buildReply(env(), topic.id, helper);
    await drainJobs(env());
    // ...and at read time, the earlier mention is hidden too.
    const list = await env().api.get("/api/v1/notifications", leaver.auth);
    assert.equal(list.body.notifications.length, 0);
    assert.equal(list.body.unreadCount, 0);
    assert.equal((await env().api.get("/api/v1/notifications", asker.auth)).body.notifications.length, 1);
  });

  test("a burst to thousands of followers is one job for the request, fanned out by the queue", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const now = env().clock.now();
    const users = await env()
      .deps.db.insertInto("users")
      .values(
        Array.from({ length: 1200 }, (_, i) => ({
          email: `fan${i}-${topic.id}@example.test`,
          name: `Fan ${i}`,
          handle: `fan${i}-${topic.id}`,
          passwordHash: "x",
          isPlatformAdmin: 0,
          locale: null,
          signupIp: null,
          createdAt: now,
        })),
      )
      .returning("id")
      .execute();
    for (let i = 0; i < users.length; i += 400) {
      const chunk = users.slice(i, i + 400);
      await env()
        .deps.db.insertInto("memberships")
        .values(
          chunk.map((u) => ({ communityId: community.id, userId: u.id, role: "member" as const, createdAt: now })),
        )
        .execute();
      await env()
        .deps.db.insertInto("follows")
        .values(chunk.map((u) => ({ topicId: topic.id, userId: u.id, createdAt: now })))
        .execute();
    }
    // A reply also schedules lifecycle work (abandonment check, expertise update): count the fan-outs.
    const fanouts = () =>
      env()
        .deps.db.selectFrom("jobs")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("name", "=", "notifications.fanout")
        .executeTakeFirstOrThrow();
    const jobsBefore = await fanouts();
    await buildReply(env(), topic.id, helper);
    const jobsAfter = await fanouts();
    assert.equal(
      Number(jobsAfter.n) - Number(jobsBefore.n),
      2,
      "reply + followers: two fan-out jobs, whatever the follower count",
    );
    await drainJobs(env());
    const count = await env()
      .deps.db.selectFrom("notifications")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("topicId", "=", topic.id)
      .where("kind", "=", "followed_answered")
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1200);
  });
});
