import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse, getPage } from "../web/web-helpers.ts";

const commentsUrl = (topicId: number) => `/api/v1/topics/${topicId}/comments`;

describeEachDatabase("comments on a topic's question", (env) => {
  test("are created with 201 and listed on the topic, oldest first, apart from reply comments", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const first = await env().api.post(commentsUrl(topic.id), { body: "Which **model**?" }, helper.auth);
    assert.equal(first.status, 201);
    assert.equal(first.body.comment.topicId, topic.id);
    assert.equal(first.body.comment.replyId, null);
    assert.deepEqual(first.body.comment.author, { id: helper.id, name: helper.name });
    env().clock.advance(1000);
    const second = await env().api.post(commentsUrl(topic.id), { body: "The new one." }, asker.auth);
    assert.equal(second.status, 201);
    const onReply = await env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "Thanks" }, asker.auth);
    assert.equal(onReply.status, 201);
    assert.equal(onReply.body.comment.replyId, reply.id);

    const { body } = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.deepEqual(
      body.topic.comments.map((c: { id: number }) => c.id),
      [first.body.comment.id, second.body.comment.id],
    );
    assert.match(body.topic.comments[0].bodyHtml, /<strong>model<\/strong>/);
    assert.equal(body.topic.comments[0].author.name, helper.name);
    assert.equal(body.topic.comments[0].moderationState, "visible");
    assert.equal(body.topic.abilities.comment, false, "anonymous readers may not comment");
    assert.deepEqual(
      body.replies[0].comments.map((c: { id: number }) => c.id),
      [onReply.body.comment.id],
    );
    const signedIn = await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth);
    assert.equal(signedIn.body.topic.abilities.comment, true);
  });

  test("validation, login, unknown topics and locked topics answer like reply comments", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    for (const text of ["", "   ", "x".repeat(2001)]) {
      const res = await env().api.post(commentsUrl(topic.id), { body: text }, helper.auth);
      assert.equal(res.status, 422, `body of ${text.length}`);
      assert.equal(res.body.error.code, "validation_failed");
      assert.ok(res.body.error.fields.body);
    }
    const anonymous = await env().api.post(commentsUrl(topic.id), { body: "hello" });
    assert.equal(anonymous.status, 401);
    const unknown = await env().api.post(commentsUrl(987654), { body: "hello" }, helper.auth);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "not_found");
    const mod = members.moderator[0];
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, mod.auth)).status, 200);
    const locked = await env().api.post(commentsUrl(topic.id), { body: "Still there?" }, helper.auth);
    assert.equal(locked.status, 403);
    assert.equal(locked.body.error.code, "forbidden");
    const { body } = await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth);
    assert.deepEqual(body.topic.comments, []);
    assert.equal(body.topic.abilities.comment, false);
  });

  test("readers who cannot see the topic learn nothing; hidden comments are for their author and moderators", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, reader] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const comment = await env().api.post(commentsUrl(topic.id), { body: "Rude words" }, helper.auth);
    const id = comment.body.comment.id;
    assert.equal((await env().api.post(`/api/v1/posts/comment/${id}/hide`, {}, admin.auth)).status, 200);
    const asReader = await env().api.get(`/api/v1/topics/${topic.id}`, reader.auth);
    assert.deepEqual(asReader.body.topic.comments, [], "a hidden comment is gone for other readers");
    const asAuthor = await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth);
    assert.deepEqual(
      asAuthor.body.topic.comments.map((c: { id: number; moderationState: string }) => [c.id, c.moderationState]),
      [[id, "hidden"]],
    );

    assert.equal((await env().api.post(`/api/v1/posts/topic/${topic.id}/hide`, {}, admin.auth)).status, 200);
    const refused = await env().api.post(commentsUrl(topic.id), { body: "Anyone?" }, reader.auth);
    const missing = await env().api.post(commentsUrl(987654), { body: "Anyone?" }, reader.auth);
    assert.equal(refused.status, 404);
    assert.deepEqual(refused.body, missing.body, "the same answer as for a topic that does not exist");
  });

  test("the asker hears of a comment on their question; a merge takes the comments along", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router blinks red at night" });
    const comment = await env().api.post(commentsUrl(topic.id), { body: "Which firmware?" }, helper.auth);
    await env().api.post(commentsUrl(topic.id), { body: "2.1, I think" }, asker.auth);
    await drainJobs(env());
    const { notifications } = (await env().api.get("/api/v1/notifications", asker.auth)).body;
    assert.deepEqual(
      notifications.map((n: { kind: string }) => n.kind),
      ["question_comment"],
    );
    assert.match(notifications[0].text, /commented on your question “Router blinks red at night”/);
    assert.equal(notifications[0].url, `${topic.url}#comment-${comment.body.comment.id}`);
    const helperKinds = (await env().api.get("/api/v1/notifications", helper.auth)).body.notifications;
    assert.deepEqual(helperKinds, [], "commenting on one's own question tells nobody");

    const target = await buildTopic(env(), slug, helper, { title: "Router LED blinks red" });
    const merged = await env().api.post(
      `/api/v1/topics/${topic.id}/merge`,
      { intoTopicId: target.id, confirmPublish: true },
      admin.auth,
    );
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    const { body } = await env().api.get(`/api/v1/topics/${target.id}`);
    assert.deepEqual(body.topic.comments, []);
    const question = body.replies.find((r: { body: string }) => r.body === "It keeps blinking red.");
    assert.deepEqual(
      question.comments.map((c: { body: string }) => c.body),
      ["Which firmware?", "2.1, I think"],
    );
  });

  test("the topic page shows them under the question with a form that works without JavaScript", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const browser = await browse(env(), helper);
    const page = await browser.get(topic.url);
    const question = page.body.slice(0, page.body.indexOf('class="replies"'));
    assert.match(question, new RegExp(`<form method="post" action="/c/${slug}/t/${topic.id}/comment"`));
    assert.match(question, /<summary>Add a comment<\/summary>/);
    assert.match(question, /<label[^>]*for="ct-body"/);

    const empty = await browser.submit(`/c/${slug}/t/${topic.id}/comment`, { body: " " });
    assert.equal(empty.status, 422);
    assert.match(empty.body, /<details class="comment-form" open>/);
    assert.match(empty.body, /<div class="form-alert" role="alert">/);

    const res = await browser.submit(`/c/${slug}/t/${topic.id}/comment`, { body: "Is the **LED** red?" });
    assert.equal(res.status, 303);
    const location = String(res.headers.location);
    assert.match(location, new RegExp(`^${topic.url}#comment-\\d+$`));
    const id = location.split("#comment-")[1];
    const after = await getPage(env(), topic.url);
    const head = after.body.slice(0, after.body.indexOf('class="replies"'));
    assert.match(head, new RegExp(`<li class="comment" id="comment-${id}">`));
    assert.match(head, /Is the <strong>LED<\/strong> red\?/);
    assert.doesNotMatch(head, /class="comment-form"/, "no form for anonymous readers");

    const german = await getPage(env(), topic.url, helper, { "accept-language": "de" });
    assert.match(german.body, /<summary>Kommentar hinzufügen<\/summary>/);
  });
  test("a held comment or reply moves its topic up once approved, not while it waits", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const activity = async () =>
      (await env().api.get(`/api/v1/topics/${topic.id}`, admin.auth)).body.topic.lastActivityAt;
    const posted = await activity();
    env().clock.advance(60_000);
    // A blocked phrase holds them for review.
    const spam = "Visit my page for a crypto giveaway!";
    const comment = await env().api.post(`/api/v1/topics/${topic.id}/comments`, { body: spam }, helper.auth);
    assert.equal(comment.body.comment.moderationState, "pending");
    const reply = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: `${spam} Now.` }, helper.auth);
    assert.equal(reply.status, 201);
    assert.equal(await activity(), posted, "held posts are no activity anyone else sees");
    const queue = await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth);
    for (const item of queue.body.items) {
      env().clock.advance(60_000);
      const approved = await env().api.post(
        `/api/v1/communities/${slug}/review-queue/${item.id}`,
        { action: "approve" },
        admin.auth,
      );
      assert.equal(approved.status, 200);
      assert.equal(await activity(), new Date(env().clock.now()).toISOString(), item.post.type);
    }
    assert.equal(queue.body.items.length, 2);
  });
});
