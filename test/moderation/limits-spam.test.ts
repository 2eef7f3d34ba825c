import { test } from "node:test";
import assert from "node:assert/strict";
import { spamSignals } from "../../src/moderation/moderation.screening.ts";
import { DEFAULT_MODERATION_SETTINGS } from "../../src/moderation/moderation.settings.ts";
import { renderMarkdown } from "../../src/lib/markdown.ts";
import {
  approveHeldPost,
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { patchSettings, setKudos } from "../reputation/support.ts";

const spam = DEFAULT_MODERATION_SETTINGS.spam;
const signals = (text: string, copies = 1) =>
  spamSignals({ type: "reply", text, html: renderMarkdown(text) }, copies, spam);
const links = (n: number) => Array.from({ length: n }, (_, i) => `[site ${i}](https://example.com/${i})`).join(" ");

test("spam signals: blocked phrases and many links alone; repeated text counts more with links", () => {
  assert.deepEqual(signals("How do I reset my router?"), { score: 0, signals: [] });
  assert.equal(signals("Great CASINO  bonus today").score, 3);
  assert.equal(signals(links(3)).score, 0, "three links are fine");
  assert.deepEqual(signals(links(4)), { score: 3, signals: ["4 links (more than 3)"] });
  assert.equal(signals("Same words again", 3).score, 2, "a third copy alone is not enough");
  assert.equal(signals(`Same words ${links(1)}`, 3).score, 3, "a third copy with a link is");
  assert.equal(signals("Same words again", 6).score, 3, "six copies are");
});

test("blocked phrases are found through zero-width characters, look-alike letters, fullwidth forms and Markdown", () => {
  for (const text of [
    "Great ca\u200bsi\u200dno bonus",
    "Great cаsinо bonus", // Cyrillic a and o
    "Great ｃａｓｉｎｏ bonus",
    "Great **ca**_si_`no` bonus",
    "Great c\u00adasino bonus",
    "Great casino\n\n> bonus",
  ]) {
    assert.equal(signals(text).score, 3, JSON.stringify(text));
  }
});

async function post(env: TestEnv, slug: string, user: TestUser, title: string, body = "Details of the problem.") {
  return env.api.post(`/api/v1/communities/${slug}/topics`, { kind: "question", title, body }, user.auth);
}

const listed = async (env: TestEnv, slug: string) =>
  (await env.api.get(`/api/v1/communities/${slug}/topics`)).body.topics.map((t: { title: string }) => t.title);

describeEachDatabase("new-member limits and spam", (env) => {
  test("with approval on, a new member's first posts wait in the queue until approved, then appear and notify", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
    const [newbie, follower] = members.member;
    await patchSettings(env(), slug, admin, "moderation", { approveFirstPosts: 1 });
    const held = await post(env(), slug, newbie, "My first question here, about my modem");
    assert.equal(held.status, 201);
    assert.equal(held.body.topic.moderationState, "pending");
    assert.deepEqual(await listed(env(), slug), []);
    assert.equal((await env().api.get(`/api/v1/topics/${held.body.topic.id}`, follower.auth)).status, 404);
    assert.equal(
      (await env().api.get(`/api/v1/topics/${held.body.topic.id}`, newbie.auth)).body.topic.moderationState,
      "pending",
      "the author sees it",
    );
    const second = await post(env(), slug, newbie, "Still waiting, so this waits too");
    assert.equal(second.body.topic.moderationState, "pending", "nothing approved yet");
    assert.equal(
      (await post(env(), slug, members.staff[0], "Staff posts never wait for approval")).body.topic.moderationState,
      "visible",
    );
    const queue = await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth);
    const item = queue.body.items.find((i: { post: { id: number } }) => i.post.id === held.body.topic.id);
    assert.equal(item.reason, "first_post");
    await approveHeldPost(env(), slug, admin, held.body.topic.id);
    assert.ok((await listed(env(), slug)).includes("My first question here, about my modem"));
    await drainJobs(env());
    const notes = (await env().api.get("/api/v1/notifications", newbie.auth)).body.notifications;
    assert.equal(notes[0].kind, "moderation", "the author hears it was approved");
    assert.equal(
      (await post(env(), slug, newbie, "Now that one was approved, I post freely")).body.topic.moderationState,
      "visible",
    );
  });

  test("per-member hourly limits for topics and for replies, set per community", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [member, other] = members.member;
    await patchSettings(env(), slug, admin, "moderation", { topicsPerHour: 2, repliesPerHour: 1 });
    assert.equal((await post(env(), slug, member, "First topic within the hour")).status, 201);
    assert.equal((await post(env(), slug, member, "Second topic within the hour")).status, 201);
    const third = await post(env(), slug, member, "Third topic within the hour");
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, "rate_limited");
    assert.equal((await post(env(), slug, other, "Another member is not limited")).status, 201);
    const topic = await buildTopic(env(), slug, other, { title: "A topic to reply to twice" });
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "one" }, member.auth)).status,
      201,
    );
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "two" }, member.auth)).status,
      429,
    );
    env().clock.advance(3_600_000);
    assert.equal((await post(env(), slug, member, "A new hour, a new topic")).status, 201);
  });

  test("posts that look like spam wait in the queue with their signals; staff are not screened", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const member = members.member[0];
    await setKudos(env(), community.id, member.id, 50);
    const phrase = await post(env(), slug, member, "Totally normal question", "Visit my page for a crypto giveaway!");
    assert.equal(phrase.body.topic.moderationState, "pending");
    const many = await post(env(), slug, member, "Links question here", links(5));
    assert.equal(many.body.topic.moderationState, "pending");
    const repeated = [];
    for (let i = 0; i < 6; i++)
      repeated.push(
        (await post(env(), slug, member, "The very same title", "The very same body")).body.topic.moderationState,
      );
    assert.deepEqual(repeated, ["visible", "visible", "visible", "visible", "visible", "pending"]);
    assert.equal(
      (await post(env(), slug, members.staff[0], "Staff sharing links", links(5))).body.topic.moderationState,
      "visible",
    );
    const queue = (await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth)).body.items;
    assert.deepEqual(
      queue.map((i: { reason: string }) => i.reason),
      ["spam", "spam", "spam"],
    );
    assert.deepEqual(queue[0].details.signals, ['blocked phrase "crypto giveaway"']);
    await patchSettings(env(), slug, admin, "moderation", { spam: { blockedPhrases: ["fibre deal"] } });
    assert.equal(
      (await post(env(), slug, member, "Now crypto giveaway is allowed", "crypto giveaway")).body.topic.moderationState,
      "visible",
    );
    assert.equal(
      (await post(env(), slug, member, "But this is not", "Get the FIBRE DEAL now")).body.topic.moderationState,
      "pending",
    );
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/settings/moderation`, member.auth)).status,
      403,
      "spammers do not get to read the rules",
    );
  });

  test("an edit that reads as spam hides the post for review; approved, it shows again unannounced", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
    const [asker, member] = members.member;
    await setKudos(env(), community.id, member.id, 50);
    const topic = await buildTopic(env(), slug, asker);
    const reply = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "Restart it." }, member.auth);
    assert.equal(reply.body.reply.moderationState, "visible");
    await drainJobs(env());
    const notices = async () => (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications.length;
    assert.equal(await notices(), 1);

    const edited = await env().api.patch(
      `/api/v1/replies/${reply.body.reply.id}`,
      { body: "Restart it, or visit my page for a crypto giveaway!" },
      member.auth,
    );
    assert.equal(edited.status, 200);
    assert.equal(edited.body.reply.moderationState, "hidden", "the author sees it is held");
    const read = await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth);
    assert.deepEqual(read.body.replies, [], "hidden from readers");
    const queue = (await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth)).body.items;
    assert.equal(queue.length, 1);
    assert.equal(queue[0].reason, "spam");
    assert.deepEqual(queue[0].details.signals, ['blocked phrase "crypto giveaway"']);
    await approveHeldPost(env(), slug, admin, reply.body.reply.id);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body.replies.length, 1);
    await drainJobs(env());
    assert.equal(await notices(), 1, "not announced again");

    // Staff editing are not screened.
    const staffEdit = await env().api.post(
      `/api/v1/topics/${topic.id}/replies`,
      { body: "Staff here." },
      members.staff[0].auth,
    );
    const byStaff = await env().api.patch(
      `/api/v1/replies/${staffEdit.body.reply.id}`,
      { body: "Staff here: crypto giveaway is a scam, ignore it." },
      members.staff[0].auth,
    );
    assert.equal(byStaff.body.reply.moderationState, "visible");
    // The question's own edit is screened the same way.
    const spamTitle = await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: "Crypto giveaway inside" },
      asker.auth,
    );
    assert.equal(spamTitle.body.topic.moderationState, "hidden");
  });
});
