import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse } from "./web-helpers.ts";

describeEachDatabase("topic forms", (env) => {
  test("a topic's forms and pages under another community's address are not found (404)", async () => {
    const here = await buildCommunity(env(), { members: { member: 2 } });
    const other = await buildCommunity(env(), { members: { member: 1 } });
    const [asker, helper] = here.members.member;
    const topic = await buildTopic(env(), here.slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const asAsker = await browse(env(), asker);
    const asHelper = await browse(env(), helper);
    const t = `/c/${other.slug}/t/${topic.id}`;
    const r = `/c/${other.slug}/r/${reply.id}`;
    const posts: [typeof asAsker, string, Record<string, string>][] = [
      [asHelper, `${t}/reply`, { body: "A reply sent to the wrong community" }],
      [asHelper, `${t}/comment`, { body: "A comment sent to the wrong community" }],
      [asHelper, `${t}/vote`, { value: "1" }],
      [asHelper, `${t}/follow`, {}],
      [asAsker, `${t}/accept`, { replyId: String(reply.id) }],
      [asAsker, `${t}/edit`, { title: "A title from the wrong place", body: "Edited from elsewhere" }],
      [asHelper, `${r}/comment`, { body: "A comment sent to the wrong community" }],
      [asAsker, `${r}/vote`, { value: "1" }],
      [asHelper, `${r}/edit`, { body: "Edited from elsewhere" }],
    ];
    for (const [browser, url, fields] of posts) {
      assert.equal((await browser.submit(url, fields)).status, 404, url);
    }
    for (const url of [`${t}/edit`, `${t}/history`, `${r}/edit`, `${r}/history`]) {
      assert.equal((await asAsker.get(url)).status, 404, url);
    }
    const after = (await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth)).body;
    assert.equal(after.topic.title, topic.title, "not edited");
    assert.equal(after.topic.score, 0, "no vote");
    assert.equal(after.topic.following, false, "the helper's follow was not recorded");
    assert.equal(after.topic.followerCount, topic.followerCount);
    assert.equal(after.topic.acceptedReplyId ?? null, null, "nothing accepted");
    assert.equal(after.replies.length, 1, "no new reply");
    assert.equal(after.replies[0].body, reply.body, "the reply is not edited");
    assert.equal(after.replies[0].score, 0);
    assert.equal(after.replies[0].comments.length, 0);
    assert.equal(after.topic.comments.length, 0);

    // The right address still works.
    const ok = await asHelper.submit(`/c/${here.slug}/t/${topic.id}/vote`, { value: "1" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, `${topic.url}?done=voted`);
  });

  test("an idea's status and a poll's ballot under another community's address are not found (404)", async () => {
    const here = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const other = await buildCommunity(env(), { members: { staff: 1 } });
    const [author] = here.members.member;
    const idea = await buildTopic(env(), here.slug, author, { kind: "idea", title: "Dark mode for the app" });
    // Staff in both communities: the other one's address is still not where this idea lives.
    await addMember(env(), other.community.id, here.members.staff[0].id, "staff");
    const staff = await browse(env(), here.members.staff[0]);
    const wrong = await staff.submit(`/c/${other.slug}/t/${idea.id}/idea-status`, { status: "planned" });
    assert.equal(wrong.status, 404);
    const status = (await env().api.get(`/api/v1/topics/${idea.id}/idea-status`)).body;
    assert.notEqual(status.status, "planned", "the status did not change");
    const right = await staff.submit(`/c/${here.slug}/t/${idea.id}/idea-status`, { status: "planned" });
    assert.equal(right.status, 303);

    const question = await buildTopic(env(), here.slug, author);
    const poll = await env().api.post(
      `/api/v1/topics/${question.id}/poll`,
      { options: ["Evenings", "Weekends"] },
      author.auth,
    );
    assert.equal(poll.status, 201);
    const { id: pollId, options } = poll.body.poll;
    const voter = await browse(env(), author);
    const ballot = { option: String(options[0].id) };
    assert.equal((await voter.submit(`/c/${other.slug}/polls/${pollId}/vote`, ballot)).status, 404);
    assert.equal((await env().api.get(`/api/v1/polls/${pollId}`, author.auth)).body.poll.myVote.length, 0);
    const cast = await voter.submit(`/c/${here.slug}/polls/${pollId}/vote`, ballot);
    assert.equal(cast.status, 303);
    assert.equal(cast.headers.location, `/c/${here.slug}/t/${question.id}#poll`);
  });

  test("a reply or comment refused because the topic was locked meanwhile comes back with the text kept", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const browser = await browse(env(), helper);
    const locked = await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, members.moderator[0].auth);
    assert.ok(locked.status < 300, `locked: ${locked.status}`);

    const refused = await browser.submit(`/c/${slug}/t/${topic.id}/reply`, { body: "My long answer & <notes>" });
    assert.equal(refused.status, 403, "refused, as the API refuses it");
    assert.match(refused.body, new RegExp(`<link rel="canonical" href="[^"]*/t/${topic.id}/`), "the topic page");
    assert.match(refused.body, /role="alert"[\s\S]*Your reply was not posted/);
    assert.match(refused.body, /<textarea id="body" rows="4" readonly>My long answer &amp; &lt;notes&gt;<\/textarea>/);

    for (const [url, prefix] of [
      [`/c/${slug}/t/${topic.id}/comment`, "ct-"],
      [`/c/${slug}/r/${reply.id}/comment`, `c${reply.id}-`],
    ]) {
      const comment = await browser.submit(url, { body: "A comment typed before the lock" });
      assert.equal(comment.status, 403, url);
      assert.match(comment.body, /Your comment was not posted/, url);
      assert.match(
        comment.body,
        new RegExp(`<textarea id="${prefix}body" rows="4" readonly>A comment typed before the lock</textarea>`),
        url,
      );
    }
    const api = (await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth)).body;
    assert.equal(api.replies.length, 1, "nothing was posted");
    assert.equal(api.replies[0].comments.length + api.topic.comments.length, 0);
  });

  test("a hidden reply shows moderators no Accept button, which the server would refuse", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const hidden = await buildReply(env(), topic.id, helper, "A reply a moderator hides");
    const shown = await buildReply(env(), topic.id, helper, "A reply that stays");
    const moderator = await browse(env(), members.moderator[0]);
    assert.equal((await moderator.submit(`/c/${slug}/posts/reply/${hidden.id}/hide`, { reason: "spam" })).status, 303);
    const page = await moderator.get(topic.url);
    assert.match(page.body, new RegExp(`id="reply-${hidden.id}"`), "the moderator still sees the hidden reply");
    // The Accept button's form is the only one with a replyId field.
    const acceptFor = (id: number) => new RegExp(`<input type="hidden" name="replyId" value="${id}">`);
    assert.match(page.body, acceptFor(shown.id), "the visible reply can be accepted");
    assert.doesNotMatch(page.body, acceptFor(hidden.id), "no button for the hidden one");
    const refused = await moderator.submit(`/c/${slug}/t/${topic.id}/accept`, { replyId: String(hidden.id) });
    assert.equal(refused.status, 422, "as the server refuses it");
    // The API says the same, and says why.
    const api = (await env().api.get(`/api/v1/topics/${topic.id}`, members.moderator[0].auth)).body;
    const abilityOf = (id: number) => api.replies.find((r: { id: number }) => r.id === id).abilities.accept;
    assert.deepEqual([abilityOf(shown.id), abilityOf(hidden.id)], [true, false]);
    const viaApi = await env().api.post(
      `/api/v1/topics/${topic.id}/accept`,
      { replyId: hidden.id },
      members.moderator[0].auth,
    );
    assert.equal(viaApi.status, 422);
    assert.match(viaApi.body.error.fields.replyId, /hidden or held reply cannot be accepted/);
  });

  test("a member suspended while typing gets the new-topic and edit forms back with the text kept", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const browser = await browse(env(), helper);
    const suspended = await env().api.put(
      `/api/v1/communities/${slug}/members/${helper.id}/suspension`,
      { days: 3, reason: "Cooling off" },
      members.moderator[0].auth,
    );
    assert.equal(suspended.status, 200);

    const created = await browser.submit(`/c/${slug}/new`, {
      kind: "question",
      title: "My typed title survives",
      body: "My typed question body",
    });
    assert.equal(created.status, 403, "refused, as the API refuses it");
    // Told why, as every refusal of a suspended member is (test/access/suspended-refusal-language.test.ts).
    assert.match(
      created.body,
      /role="alert"[\s\S]*You are suspended from this community until [^<]+\. Reason: Cooling off/,
    );
    assert.match(created.body, /value="My typed title survives"/);
    assert.match(created.body, />My typed question body<\/textarea>/);

    const edited = await browser.submit(`/c/${slug}/r/${reply.id}/edit`, { body: "My edited reply text" });
    assert.equal(edited.status, 403);
    assert.match(edited.body, /role="alert"/);
    assert.match(edited.body, />My edited reply text<\/textarea>/);

    // Someone who never could edit it is still refused before the form is read.
    const stranger = await browse(env(), asker);
    assert.equal((await stranger.submit(`/c/${slug}/r/${reply.id}/edit`, { body: "" })).status, 403);

    const api = (await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body;
    assert.equal(api.replies[0].body, reply.body, "not edited");
    const list = (await env().api.get(`/api/v1/communities/${slug}/topics`)).body;
    assert.equal(list.topics.length, 1, "no topic was posted");
  });

  test("a vote form with a blank or odd value is refused (422) as by the API, not read as withdrawing", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, voter] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, asker);
    const browser = await browse(env(), voter);
    assert.equal((await browser.submit(`/c/${slug}/t/${topic.id}/vote`, { value: "1" })).status, 303);
    assert.equal((await browser.submit(`/c/${slug}/r/${reply.id}/vote`, { value: "1" })).status, 303);
    for (const value of ["", " ", "0x0", "-0x1"]) {
      assert.equal((await browser.submit(`/c/${slug}/t/${topic.id}/vote`, { value })).status, 422, `"${value}"`);
      assert.equal((await browser.submit(`/c/${slug}/r/${reply.id}/vote`, { value })).status, 422, `"${value}"`);
    }
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/vote`, {}, voter.auth)).status, 422, "the API");
    const api = (await env().api.get(`/api/v1/topics/${topic.id}`, voter.auth)).body;
    assert.equal(api.topic.myVote, 1, "the vote stands");
    assert.equal(api.replies[0].myVote, 1);
  });
});
