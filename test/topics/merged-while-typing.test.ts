import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

describeEachDatabase("a reply, comment or button on a topic merged meanwhile", (env) => {
  test("comes back on the topic it went into, with the text in a form to send there; nothing is posted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const duplicate = await buildTopic(env(), slug, asker);
    const original = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    const browser = await browse(env(), helper);
    assert.equal((await browser.get(duplicate.url)).status, 200, "the page the member typed on");
    const merged = await env().api.post(
      `/api/v1/topics/${duplicate.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);

    const reply = await browser.submit(`/c/${slug}/t/${duplicate.id}/reply`, { body: "My long answer & <notes>" });
    assert.equal(reply.status, 409, "refused, as the API refuses it");
    assert.match(reply.body, new RegExp(`<link rel="canonical" href="[^"]*/t/${original.id}/`), "the original's page");
    assert.match(reply.body, /role="alert"[\s\S]*the topic was merged into this one while you typed/);
    assert.match(reply.body, new RegExp(`<form method="post" action="/c/${slug}/t/${original.id}/reply"`));
    assert.match(reply.body, /My long answer &amp; &lt;notes&gt;<\/textarea>/, "the text, in the original's form");

    const comment = await browser.submit(`/c/${slug}/t/${duplicate.id}/comment`, { body: "A comment typed before" });
    assert.equal(comment.status, 409);
    assert.match(comment.body, /the topic was merged into this one while you typed/);
    assert.match(comment.body, /<details class="comment-form" open>/);
    assert.match(comment.body, /A comment typed before<\/textarea>/);

    const api = (await env().api.get(`/api/v1/topics/${original.id}`, helper.auth)).body;
    assert.deepEqual(
      api.replies.map((r: { mergedFromTopicId: number | null }) => r.mergedFromTopicId),
      [duplicate.id],
      "only the merged question: nothing was posted",
    );
    assert.equal(api.topic.comments.length + api.replies[0].comments.length, 0);
  });

  test("a button (follow, vote, accept) lands on the topic it went into, told that nothing changed", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const duplicate = await buildTopic(env(), slug, asker);
    const original = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    const browser = await browse(env(), helper);
    const merged = await env().api.post(
      `/api/v1/topics/${duplicate.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);
    for (const [action, fields] of [
      ["follow", {}],
      ["vote", { value: "1" }],
    ] as const) {
      const pressed = await browser.submit(`/c/${slug}/t/${duplicate.id}/${action}`, fields);
      assert.equal(pressed.status, 303, `${action}: ${pressed.body.slice(0, 200)}`);
      assert.match(String(pressed.headers.location), new RegExp(`/t/${original.id}/[^?]*\\?done=merged$`));
    }
    const landed = await browser.get(
      String((await browser.submit(`/c/${slug}/t/${duplicate.id}/follow`)).headers.location),
    );
    assert.match(
      landed.body,
      /class="notice warning done-notice" role="status">Nothing was changed: the topic was merged/,
    );
    const api = (await env().api.get(`/api/v1/topics/${original.id}`, helper.auth)).body.topic;
    assert.deepEqual([api.followerCount, api.score], [0, 0], "no follow, no vote");
  });

  test("German readers are told in German, with du", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const duplicate = await buildTopic(env(), slug, asker);
    const original = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", helper.id).execute();
    await env().api.post(
      `/api/v1/topics/${duplicate.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    const browser = await browse(env(), helper);
    const reply = await browser.submit(`/c/${slug}/t/${duplicate.id}/reply`, { body: "Meine Antwort" });
    assert.equal(reply.status, 409);
    assert.match(reply.body, /als du geschrieben hast/);
  });
});
