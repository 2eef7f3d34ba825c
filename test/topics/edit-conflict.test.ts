import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

/** The version an edit form sends back (empty for a post never edited). */
const baseOf = (body: string) => /name="baseEditedAt" value="([^"]*)"/.exec(body)?.[1];

// Two edits of one post at once: the one that started from an older version is refused (409), not
// saved over the other. Without baseEditedAt (older clients) the last edit wins, as before.
describeEachDatabase("edits that started from an older version", (env) => {
  test("the API refuses an edit based on a version edited since", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const [mod] = members.moderator;
    const topic = await buildTopic(env(), slug, asker, { body: "Call me on 0170 1234567 about the router." });
    const reply = await buildReply(env(), topic.id, helper, "Reset it, then call 0170 7654321.");
    for (const [url, read] of [
      [`/api/v1/topics/${topic.id}`, async () => (await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic],
      [`/api/v1/replies/${reply.id}`, async () => (await env().api.get(`/api/v1/topics/${topic.id}`)).body.replies[0]],
    ] as const) {
      const author = url.includes("topics") ? asker : helper;
      const opened = (await read()).editedAt;
      assert.equal(opened, null);
      const redacted = await env().api.patch(url, { body: "Number removed by a moderator." }, mod.auth);
      assert.equal(redacted.status, 200, JSON.stringify(redacted.body));
      const stale = await env().api.patch(
        url,
        { body: "My number again: 0170 1234567", baseEditedAt: opened },
        author.auth,
      );
      assert.equal(stale.status, 409, JSON.stringify(stale.body));
      assert.equal(stale.body.error.code, "conflict");
      assert.equal((await read()).body, "Number removed by a moderator.", "the moderator's edit stands");
      const now = (await read()).editedAt;
      assert.equal(typeof now, "string");
      const current = await env().api.patch(url, { body: "Thanks, solved now.", baseEditedAt: now }, author.auth);
      assert.equal(current.status, 200, JSON.stringify(current.body));
      const unversioned = await env().api.patch(url, { body: "Solved by a reset." }, author.auth);
      assert.equal(unversioned.status, 200, "without a base version the edit is saved as before");
    }
  });

  test("the edit form comes back with the member's text and saves it when sent again", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [asker] = members.member;
    const [mod] = members.moderator;
    const topic = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red", body: "Since Monday." });
    const browser = await browse(env(), asker);
    const url = `/c/${slug}/t/${topic.id}/edit`;
    const opened = await browser.get(url);
    assert.equal(baseOf(opened.body), "", "never edited");
    const edit = await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Since Monday (moderated)." }, mod.auth);
    assert.equal(edit.status, 200);
    const fields = { title: "Router keeps blinking red", body: "Since Monday, after the update.", tags: "" };
    const refused = await browser.submit(url, { ...fields, baseEditedAt: baseOf(opened.body)! });
    assert.equal(refused.status, 409);
    assert.match(refused.body, /edited by someone else after you opened it/);
    assert.match(refused.body, /Since Monday, after the update\./, "the member's text is kept");
    const now = baseOf(refused.body);
    assert.ok(now, "the form now starts from the current version");
    const saved = await browser.submit(url, { ...fields, baseEditedAt: now! });
    assert.equal(saved.status, 303, saved.body.slice(0, 300));
    const read = (await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic;
    assert.equal(read.body, "Since Monday, after the update.");
  });

  test("a form sent back for another reason keeps the version the member started from", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const [mod] = members.moderator;
    const topic = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red", body: "Since Monday." });
    const reply = await buildReply(env(), topic.id, helper, "Reset it, then call 0170 7654321.");
    const cases: { author: typeof asker; url: string; api: string; bad: Record<string, string>; status: number }[] = [
      // Refused: the title is too short.
      {
        author: asker,
        url: `/c/${slug}/t/${topic.id}/edit`,
        api: `/api/v1/topics/${topic.id}`,
        bad: { title: "Red" },
        status: 422,
      },
      // Sent back with a preview.
      {
        author: helper,
        url: `/c/${slug}/r/${reply.id}/edit`,
        api: `/api/v1/replies/${reply.id}`,
        bad: { _preview: "" },
        status: 200,
      },
    ];
    for (const { author, url, api, bad, status } of cases) {
      const browser = await browse(env(), author);
      const opened = baseOf((await browser.get(url)).body);
      assert.equal(opened, "", "never edited");
      const redacted = await env().api.patch(api, { body: "Number removed by a moderator." }, mod.auth);
      assert.equal(redacted.status, 200, JSON.stringify(redacted.body));
      const fields = { title: "Router keeps blinking red", body: "My number again: 0170 1234567", tags: "" };
      const back = await browser.submit(url, { ...fields, ...bad, baseEditedAt: opened! });
      assert.equal(back.status, status, back.body.slice(0, 300));
      assert.equal(baseOf(back.body), opened, "the form still starts from the version the member read");
      const resent = await browser.submit(url, { ...fields, baseEditedAt: baseOf(back.body)! });
      assert.equal(resent.status, 409, "the moderator's edit is not silently overwritten");
      const read = (await env().api.get(`/api/v1/topics/${topic.id}`)).body;
      const post = url.includes("/t/") ? read.topic : read.replies[0];
      assert.equal(post.body, "Number removed by a moderator.");
    }
  });
});
