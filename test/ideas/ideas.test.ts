import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { IDEA_NOTE_MAX } from "../../src/ideas/ideas.schema.ts";
import { browse, getPage } from "../web/web-helpers.ts";

const idea = (env: TestEnv, slug: string, author: TestUser, props: Record<string, unknown> = {}) =>
  buildTopic(env, slug, author, { kind: "idea", title: "Share mobile data between family plans", ...props });

const setStatus = (env: TestEnv, topicId: number, user: TestUser, body: Record<string, unknown>) =>
  env.api.put(`/api/v1/topics/${topicId}/idea-status`, body, user.auth);

const kindsOf = async (env: TestEnv, user: TestUser) =>
  (await env.api.get("/api/v1/notifications", user.auth)).body.notifications.map((n: any) => n.kind);

describeEachDatabase("ideas pipeline", (env) => {
  test("staff set a status with a public note; others get 403, a non-idea 422", async () => {
    const { slug, members, admin } = await buildCommunity(env(), { members: { member: 2, staff: 1, moderator: 1 } });
    const [author, other] = members.member;
    const staff = members.staff[0];
    const topic = await idea(env(), slug, author);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body.ideaStatus, "new");

    for (const refused of [author, other, members.moderator[0]])
      assert.equal((await setStatus(env(), topic.id, refused, { status: "planned" })).status, 403);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/idea-status`, { status: "planned" })).status, 401);
    assert.equal((await setStatus(env(), topic.id, staff, { status: "shipped" })).status, 422);
    const question = await buildTopic(env(), slug, author);
    const notIdea = await setStatus(env(), question.id, staff, { status: "planned" });
    assert.equal(notIdea.status, 422);
    assert.equal(notIdea.body.error.code, "validation_failed");

    const set = await setStatus(env(), topic.id, staff, { status: "under_review", note: "Looking into it." });
    assert.equal(set.status, 200);
    assert.equal(set.body.topic.id, topic.id);
    assert.equal(set.body.topic.ideaStatus, "under_review");
    env().clock.advance(86_400_000);
    assert.equal((await setStatus(env(), topic.id, admin, { status: "planned" })).body.topic.ideaStatus, "planned");

    const progress = (await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body;
    assert.equal(progress.ideaStatus, "planned");
    assert.deepEqual(
      progress.timeline.map((e: any) => [e.status, e.note, e.staff.name]),
      [
        ["under_review", "Looking into it.", staff.name],
        ["planned", null, admin.name],
      ],
    );
    assert.ok(Date.parse(progress.timeline[1].createdAt) - Date.parse(progress.timeline[0].createdAt) === 86_400_000);

    // The topic page shows the dated timeline to everyone, and the form to staff only.
    const anonymous = await getPage(env(), topic.url);
    assert.match(anonymous.body, /id="idea-status"/);
    assert.match(anonymous.body, /Under review/);
    assert.match(anonymous.body, /Looking into it\./);
    assert.match(anonymous.body, new RegExp(`<strong>${staff.name}</strong>`));
    assert.match(anonymous.body, /<time datetime="/);
    assert.doesNotMatch(anonymous.body, /idea-status-form/);
    assert.match((await getPage(env(), topic.url, staff)).body, /idea-status-form/);
    assert.doesNotMatch((await getPage(env(), question.url)).body, /id="idea-status"/);

    // A note too long comes back on the topic page by the field, as typed (it was the generic error page).
    const long = "n".repeat(IDEA_NOTE_MAX + 1);
    const refused = await (await browse(env(), staff)).submit(`/c/${slug}/t/${topic.id}/idea-status`, {
      status: "in_progress",
      note: long,
    });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /<a href="#idea-new-note">/, "the alert links to the note");
    assert.match(
      refused.body,
      /id="idea-new-note" name="note" aria-describedby="idea-new-note-hint idea-new-note-error"/,
    );
    assert.ok(refused.body.includes(long), "the note typed is kept");
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body.ideaStatus, "planned");
  });

  test("the same status again adds nothing and tells nobody, unless it comes with a note", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [author] = members.member;
    const staff = members.staff[0];
    const topic = await idea(env(), slug, author);
    for (let i = 0; i < 2; i++)
      assert.equal((await setStatus(env(), topic.id, staff, { status: "planned" })).body.topic.ideaStatus, "planned");
    await drainJobs(env());
    const timeline = async () =>
      (await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body.timeline.map((e: any) => [e.status, e.note]);
    assert.deepEqual(await timeline(), [["planned", null]]);
    assert.deepEqual(await kindsOf(env(), author), ["idea_status"]);
    await setStatus(env(), topic.id, staff, { status: "planned", note: "Coming in March." });
    await drainJobs(env());
    assert.deepEqual(await timeline(), [
      ["planned", null],
      ["planned", "Coming in March."],
    ]);
    assert.equal((await kindsOf(env(), author)).length, 2);
  });

  test("the same change sent several times at once is recorded and sent once", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 2 } });
    const [author] = members.member;
    const topic = await idea(env(), slug, author);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => setStatus(env(), topic.id, members.staff[i % 2], { status: "planned" })),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200, 200, 200],
    );
    await drainJobs(env());
    const { timeline } = (await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body;
    assert.equal(timeline.length, 1);
    assert.deepEqual(await kindsOf(env(), author), ["idea_status"]);
  });

  test("the staff form sets the status without JavaScript; a member's post is refused", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const topic = await idea(env(), slug, members.member[0]);
    const staff = await browse(env(), members.staff[0]);
    const done = await staff.submit(`/c/${slug}/t/${topic.id}/idea-status`, {
      status: "in_progress",
      note: "Building it",
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, `${topic.url}#idea-status`);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body.ideaStatus, "in_progress");
    const member = await browse(env(), members.member[0]);
    assert.equal((await member.submit(`/c/${slug}/t/${topic.id}/idea-status`, { status: "done" })).status, 403);
  });

  test("a change notifies voters, followers and the author once each, on the channel they chose", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 5, staff: 1 } });
    const [author, voter, follower, both, quiet] = members.member;
    const staff = members.staff[0];
    const topic = await idea(env(), slug, author);
    for (const user of [voter, both, quiet])
      await env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, user.auth);
    for (const user of [follower, both]) await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, user.auth);
    const off = await env().api.put(
      "/api/v1/me/notification-preferences",
      { preferences: { idea_status: "off" } },
      quiet.auth,
    );
    assert.equal(off.status, 200);
    await setStatus(env(), topic.id, staff, { status: "planned", note: "Coming in spring." });
    await drainJobs(env());
    for (const user of [author, voter, follower, both]) assert.deepEqual(await kindsOf(env(), user), ["idea_status"]);
    assert.deepEqual(await kindsOf(env(), quiet), []);
    assert.deepEqual(await kindsOf(env(), staff), []);
    const [n] = (await env().api.get("/api/v1/notifications", voter.auth)).body.notifications;
    assert.match(n.text, /updated the status of the idea “Share mobile data between family plans”/);
    assert.equal(n.excerpt, "Planned: Coming in spring.");
    // The status in each reader's language (it was the community's for everyone); the note as written.
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", both.id).execute();
    const [german] = (await env().api.get("/api/v1/notifications", both.auth)).body.notifications;
    assert.equal(german.excerpt, "Geplant: Coming in spring.");
    assert.equal(n.url, `/c/${slug}/t/${topic.id}#idea-status`);
    await drainJobs(env());
    assert.equal((await kindsOf(env(), voter)).length, 1, "delivered once");
  });

  test("the board lists visible ideas by status with counts, filters and sorts", async () => {
    const { slug, members, categories } = await buildCommunity(env(), {
      categories: ["Mobile", "TV"],
      members: { member: 3, staff: 1 },
    });
    const [a, b, c] = members.member;
    const staff = members.staff[0];
    const mobile = categories[0];
    const first = await idea(env(), slug, a, { title: "Family data sharing", categoryId: mobile.id });
    const second = await idea(env(), slug, a, { title: "Dark mode for the TV guide", categoryId: categories[1].id });
    const third = await idea(env(), slug, a, { title: "eSIM for smart watches", categoryId: mobile.id });
    await buildTopic(env(), slug, a, { title: "A question, not an idea" });
    for (const user of [b, c]) await env().api.put(`/api/v1/topics/${third.id}/vote`, { value: 1 }, user.auth);
    await env().api.put(`/api/v1/topics/${second.id}/vote`, { value: 1 }, b.auth);
    env().clock.advance(60_000);
    await setStatus(env(), first.id, staff, { status: "done" });

    const board = await env().api.get(`/api/v1/communities/${slug}/ideas`);
    assert.equal(board.status, 200);
    assert.deepEqual(
      board.body.items.map((i: any) => [i.id, i.ideaStatus]),
      [
        [third.id, "new"],
        [second.id, "new"],
        [first.id, "done"],
      ],
    );
    assert.deepEqual(board.body.counts, { new: 2, under_review: 0, planned: 0, in_progress: 0, done: 1, declined: 0 });
    const recent = await env().api.get(`/api/v1/communities/${slug}/ideas?sort=recent`);
    assert.equal(recent.body.items[0].id, first.id, "the latest change first");
    const done = await env().api.get(`/api/v1/communities/${slug}/ideas?status=done`);
    assert.deepEqual(
      done.body.items.map((i: any) => i.id),
      [first.id],
    );
    const inMobile = await env().api.get(`/api/v1/communities/${slug}/ideas?category=${mobile.slug}`);
    assert.deepEqual(
      inMobile.body.items.map((i: any) => i.id),
      [third.id, first.id],
    );
    assert.equal(inMobile.body.counts.new, 1);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/ideas?category=nope`)).status, 422);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/ideas?sort=loudest`)).status, 422);

    const page = await getPage(env(), `/c/${slug}/ideas`);
    assert.equal(page.status, 200);
    const newSection = page.body.indexOf('id="ideas-new"');
    const doneSection = page.body.indexOf('id="ideas-done"');
    assert.ok(newSection > 0 && doneSection > newSection);
    assert.ok(page.body.indexOf("eSIM for smart watches") > newSection);
    assert.ok(page.body.indexOf("Family data sharing") > doneSection);
    assert.doesNotMatch(page.body, /A question, not an idea/);
    const filtered = await getPage(env(), `/c/${slug}/ideas?status=done&category=${mobile.slug}&sort=recent`);
    assert.match(filtered.body, /Family data sharing/);
    assert.doesNotMatch(filtered.body, /eSIM for smart watches/);
    assert.doesNotMatch(filtered.body, /id="ideas-new"/);
  });

  test("ideas in a private category stay with their author and staff, on the board and in the feed", async () => {
    const { slug, members, categories, admin } = await buildCommunity(env(), {
      categories: ["Open", "Account"],
      members: { member: 2, staff: 1 },
    });
    await env().api.patch(
      `/api/v1/communities/${slug}/categories/${categories[1].id}`,
      { scope: "private" },
      admin.auth,
    );
    const [author, other] = members.member;
    const secret = await idea(env(), slug, author, {
      title: "Let me change my billing date",
      categoryId: categories[1].id,
    });
    await setStatus(env(), secret.id, members.staff[0], { status: "planned", note: "Private plans" });
    const ids = async (user: TestUser | null) =>
      (await env().api.get(`/api/v1/communities/${slug}/ideas`, user?.auth ?? null)).body.items.map((i: any) => i.id);
    assert.deepEqual(await ids(other), []);
    assert.deepEqual(await ids(null), []);
    assert.deepEqual(await ids(author), [secret.id]);
    assert.deepEqual(await ids(members.staff[0]), [secret.id]);
    const feed = await getPage(env(), `/c/${slug}/ideas/feed.atom`);
    assert.doesNotMatch(feed.body, /billing date|Private plans/);
    assert.match(String(feed.headers["cache-control"]), /^public/, "the anonymous feed may be shared");
    // Staff read the private idea in their feed: no proxy may keep that copy for others.
    const staffFeed = await getPage(env(), `/c/${slug}/ideas/feed.atom`, members.staff[0]);
    assert.match(staffFeed.body, /billing date/);
    assert.equal(staffFeed.headers["cache-control"], "private, no-store");
    assert.match(String(staffFeed.headers.vary), /Cookie/);
  });

  test("the Atom feed lists status changes, newest first", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const staff = members.staff[0];
    const topic = await idea(env(), slug, members.member[0], { title: "Night mode & <fun>" });
    await setStatus(env(), topic.id, staff, { status: "under_review" });
    env().clock.advance(3_600_000);
    await setStatus(env(), topic.id, staff, { status: "declined", note: "Not this year." });
    const feed = await getPage(env(), `/c/${slug}/ideas/feed.atom`);
    assert.equal(feed.status, 200);
    assert.match(String(feed.headers["content-type"]), /^application\/atom\+xml/);
    assert.match(
      feed.body,
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
    );
    const titles = [...feed.body.matchAll(/<entry>[\s\S]*?<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    assert.deepEqual(titles, ["Night mode &amp; &lt;fun&gt;: Declined", "Night mode &amp; &lt;fun&gt;: Under review"]);
    assert.match(feed.body, /<content type="text">Declined: Not this year\.<\/content>/);
    assert.match(feed.body, new RegExp(`<author><name>${staff.name}</name></author>`));
    assert.match(
      feed.body,
      new RegExp(`<link rel="alternate" href="${env().deps.config.baseUrl}/c/${slug}/t/${topic.id}"/>`),
    );
    assert.match((await getPage(env(), `/c/${slug}/ideas`)).body, new RegExp(`href="/c/${slug}/ideas/feed.atom"`));
    assert.equal((await getPage(env(), `/c/${"x".repeat(80)}/ideas/feed.atom`)).status, 404);
    assert.equal((await getPage(env(), "/c/no-such-community/ideas/feed.atom")).status, 404);
  });

  test("merging an idea carries its votes and followers over, each person counted once", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 5, moderator: 1 } });
    const [author, other, u1, u2, u3] = members.member;
    const source = await idea(env(), slug, author, { title: "Share data with family" });
    const target = await idea(env(), slug, other, { title: "Family data pool" });
    for (const user of [u1, u2, other])
      await env().api.put(`/api/v1/topics/${source.id}/vote`, { value: 1 }, user.auth);
    for (const user of [u2, u3]) await env().api.put(`/api/v1/topics/${target.id}/vote`, { value: 1 }, user.auth);
    for (const user of [u1, u2]) await env().api.put(`/api/v1/topics/${source.id}/follow`, {}, user.auth);
    await env().api.put(`/api/v1/topics/${target.id}/follow`, {}, u2.auth);
    const merged = await env().api.post(
      `/api/v1/topics/${source.id}/merge`,
      { intoTopicId: target.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);
    const after = (await env().api.get(`/api/v1/topics/${target.id}`)).body.topic;
    // u1 moves over, u2 counted once, u3 stays; the target's own author gains no vote on their idea.
    assert.equal(after.score, 3);
    assert.equal(after.followerCount, 2);
    const board = (await env().api.get(`/api/v1/communities/${slug}/ideas`)).body;
    assert.deepEqual(
      board.items.map((i: any) => [i.id, i.score]),
      [[target.id, 3]],
    );
    assert.equal(board.counts.new, 1);
  });

  test("the analytics figures: ideas in each status and days from new to done (staff)", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const staff = members.staff[0];
    const quick = await idea(env(), slug, members.member[0], { title: "Quick win" });
    const slow = await idea(env(), slug, members.member[0], { title: "Slow burner" });
    await idea(env(), slug, members.member[0], { title: "Still new" });
    env().clock.advance(2 * 86_400_000);
    await setStatus(env(), quick.id, staff, { status: "done" });
    await setStatus(env(), slow.id, staff, { status: "planned" });
    env().clock.advance(4 * 86_400_000);
    await setStatus(env(), slow.id, staff, { status: "done" });
    await setStatus(env(), quick.id, staff, { status: "done", note: "Done again counts from the first time" });
    const figures = await env().api.get(`/api/v1/communities/${slug}/stats/ideas`, staff.auth);
    assert.equal(figures.status, 200);
    assert.deepEqual(figures.body, {
      counts: { new: 1, under_review: 0, planned: 0, in_progress: 0, done: 2, declined: 0 },
      newToDone: { ideas: 2, medianDays: 4, meanDays: 4 },
    });
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/stats/ideas`, members.member[0].auth)).status, 403);
  });

  test("accepting a reply on an idea is refused with a proper message", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const topic = await idea(env(), slug, members.member[0]);
    const reply = await buildReply(env(), topic.id, members.member[1]);
    const res = await env().api.post(
      `/api/v1/topics/${topic.id}/accept`,
      { replyId: reply.id },
      members.member[0].auth,
    );
    assert.equal(res.status, 422);
    assert.equal(res.body.error.fields.replyId, "Only questions and problems have a solution to accept.");
  });
});
