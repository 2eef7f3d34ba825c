import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

const HOUR = 3_600_000;

describeEachDatabase("poll forms tell why they are refused", (env) => {
  test("a ballot sent after the poll closed comes back on the topic page, explained in the reader's language", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, voter] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const closesAt = new Date(env().clock.now() + HOUR).toISOString();
    const created = await env().api.post(
      `/api/v1/topics/${topic.id}/poll`,
      { options: ["Router", "Repeater"], closesAt },
      author.auth,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { poll } = created.body;
    await env().deps.db.updateTable("users").set({ locale: "fr" }).where("id", "=", voter.id).execute();
    const browser = await browse(env(), voter);
    assert.match((await browser.get(topic.url)).body, /class="poll-ballot"/);
    env().clock.advance(2 * HOUR);

    const sent = await browser.submit(`/c/${slug}/polls/${poll.id}/vote`, { option: String(poll.options[0].id) });
    assert.equal(sent.status, 409);
    assert.match(sent.body, new RegExp(`<link rel="canonical" href="[^"]*/t/${topic.id}/`), "the topic page");
    assert.match(
      sent.body,
      /<div class="form-alert" role="alert">\s*<p><strong>Ce sondage est clos : il n’accepte plus de votes\./,
    );
    const api = await env().api.post(`/api/v1/polls/${poll.id}/votes`, { optionIds: [poll.options[0].id] }, voter.auth);
    assert.deepEqual(
      [api.status, api.body.error.message],
      [409, "This poll is closed."],
      "the API's answer is unchanged",
    );
  });

  test("the form to add a poll is not offered on a locked topic", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [author] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const browser = await browse(env(), author);
    assert.equal((await browser.get(`/c/${slug}/t/${topic.id}/poll`)).status, 200);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, members.moderator[0].auth)).status, 200);

    const form = await browser.get(`/c/${slug}/t/${topic.id}/poll`);
    assert.equal(form.status, 403);
    assert.match(form.body, /This topic is locked: it takes no new poll\./);
    assert.doesNotMatch(form.body, /name="options"/);
  });
});
