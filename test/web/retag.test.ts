import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { setKudos } from "../reputation/support.ts";
import { browse, getPage } from "./web-helpers.ts";

describeEachDatabase("topic pages: retagging, previews after a lock, suspended editors", (env) => {
  test("a member who may retag but not edit gets an Edit tags form that changes only the tags", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, plain] = members.member;
    const retagger = await buildUser(env(), { name: "Retagger" });
    await addMember(env(), community.id, retagger.id, "member");
    await setKudos(env(), community.id, retagger.id, 250);
    const topic = await buildTopic(env(), slug, asker, { tags: ["router"] });
    const edit = `/c/${slug}/t/${topic.id}/edit`;
    const editLink = (label: string) => new RegExp(`<a class="button subtle"\\s+href="${edit}">${label}</a>`);

    const browser = await browse(env(), retagger);
    const page = await browser.get(topic.url);
    assert.match(page.body, editLink("Edit tags"), "the retagger is offered the tags form");
    assert.doesNotMatch(page.body, editLink("Edit"), "not the full edit");

    const form = await browser.get(edit);
    assert.equal(form.status, 200);
    assert.match(form.body, /<h1 id="form-title">Edit tags<\/h1>/);
    assert.match(form.body, /<label for="tags">Tags<\/label>/);
    assert.match(form.body, /name="tags"[^>]*value="router"|value="router"[^>]*name="tags"/);
    assert.doesNotMatch(form.body, /name="title"|name="body"/, "only the tags field");

    const saved = await browser.submit(edit, { tags: "router, wifi" });
    assert.equal(saved.status, 303, saved.body);
    const after = (await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body.topic;
    assert.deepEqual(after.tags, ["router", "wifi"]);
    assert.equal(after.title, topic.title, "the title stays");
    assert.equal(after.body, topic.body, "the body stays");

    // The title and text are still not theirs to change, as in the API.
    const refused = await browser.submit(edit, { title: "A title the retagger wrote", tags: "router" });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /role="alert"/);
    assert.doesNotMatch(refused.body, /name="title"/, "the form comes back with the tags only");
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body.topic.title, topic.title);

    // A member without the privilege sees no link and is refused; a moderator gets the full edit only.
    const stranger = await browse(env(), plain);
    assert.doesNotMatch((await stranger.get(topic.url)).body, new RegExp(`href="${edit}"`));
    assert.equal((await stranger.get(edit)).status, 403);
    assert.equal((await stranger.submit(edit, { tags: "spam" })).status, 403);
    const moderator = await browse(env(), members.moderator[0]);
    const modPage = await moderator.get(topic.url);
    assert.match(modPage.body, editLink("Edit"));
    assert.doesNotMatch(modPage.body, editLink("Edit tags"));
    assert.match((await moderator.get(edit)).body, /name="title"/, "the moderator's form has every field");
  });

  test("the retag form speaks the reader's language", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const retagger = await buildUser(env(), { name: "Retagueur" });
    await addMember(env(), community.id, retagger.id, "member");
    await setKudos(env(), community.id, retagger.id, 250);
    const topic = await buildTopic(env(), slug, members.member[0]);
    // The pages follow Accept-Language, not a language chosen in the account.
    await env().deps.db.updateTable("users").set({ locale: null }).where("id", "=", retagger.id).execute();
    const expected = { de: "Tags bearbeiten", fr: "Modifier les tags", it: "Modifica i tag" };
    for (const [lang, label] of Object.entries(expected)) {
      const res = await getPage(env(), `/c/${slug}/t/${topic.id}/edit`, retagger, { "accept-language": lang });
      assert.equal(res.status, 200, lang);
      assert.match(res.body, new RegExp(`<h1 id="form-title">${label}</h1>`), lang);
    }
  });

  test("pressing Preview on a reply after the topic was locked keeps the text to copy", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const browser = await browse(env(), helper);
    const locked = await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, members.moderator[0].auth);
    assert.ok(locked.status < 300, `locked: ${locked.status}`);

    const preview = await browser.submit(`/c/${slug}/t/${topic.id}/reply`, {
      body: "My long answer & <notes>",
      _preview: "1",
    });
    assert.equal(preview.status, 200);
    assert.match(preview.body, /role="alert"[\s\S]*You cannot reply to this topic now/);
    assert.match(preview.body, /<textarea id="body" rows="4" readonly>My long answer &amp; &lt;notes&gt;<\/textarea>/);
    const api = (await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth)).body;
    assert.equal(api.replies.length, 0, "nothing was posted");
  });

  test("a suspended author whose edit is refused is told of the suspension, not that it is not theirs", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [author, asker] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author);
    const browser = await browse(env(), author);
    const suspended = await env().api.put(
      `/api/v1/communities/${slug}/members/${author.id}/suspension`,
      { days: 3, reason: "Cooling off" },
      members.moderator[0].auth,
    );
    assert.equal(suspended.status, 200);

    const suspendedMessage = /You are suspended from this community until [^<]+\. Reason: Cooling off/;
    const edits: [string, Record<string, string>][] = [
      [`/c/${slug}/t/${topic.id}/edit`, { title: "My edited title stays typed", body: "My edited body" }],
      [`/c/${slug}/r/${reply.id}/edit`, { body: "My edited reply text" }],
    ];
    for (const [url, fields] of edits) {
      const refused = await browser.submit(url, fields);
      assert.equal(refused.status, 403, url);
      assert.match(refused.body, /role="alert"/, url);
      assert.match(refused.body, suspendedMessage, url);
      assert.doesNotMatch(refused.body, /You can only edit your own posts/, url);
      assert.match(refused.body, new RegExp(`>${fields.body}</textarea>`), "the text is kept");
      const page = await browser.get(url);
      assert.equal(page.status, 403, url);
      assert.match(page.body, suspendedMessage, url);
      assert.doesNotMatch(page.body, /You can only edit your own posts/, url);
    }
    const api = (await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body;
    assert.equal(api.topic.title, topic.title, "not edited");
    assert.equal(api.replies[0].body, reply.body, "not edited");
  });

  test("a retagger suspended while typing gets the tags form back with the tags typed and the reason", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const retagger = await buildUser(env(), { name: "Retagger" });
    await addMember(env(), community.id, retagger.id, "member");
    await setKudos(env(), community.id, retagger.id, 250);
    const topic = await buildTopic(env(), slug, members.member[0], { tags: ["router"] });
    const edit = `/c/${slug}/t/${topic.id}/edit`;
    const browser = await browse(env(), retagger);
    assert.equal((await browser.get(edit)).status, 200);
    const suspended = await env().api.put(
      `/api/v1/communities/${slug}/members/${retagger.id}/suspension`,
      { days: 3, reason: "Cooling off" },
      members.moderator[0].auth,
    );
    assert.equal(suspended.status, 200);

    const refused = await browser.submit(edit, { tags: "router, fibre-outage" });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /You are suspended from this community until [^<]+\. Reason: Cooling off/);
    assert.match(refused.body, /value="router, fibre-outage"/, "the tags typed are kept");
    assert.doesNotMatch(refused.body, /name="title"|name="body"/, "the tags form, as it was");
    const after = (await env().api.get(`/api/v1/topics/${topic.id}`, members.member[0].auth)).body.topic;
    assert.deepEqual(after.tags, ["router"], "not retagged");
  });
});
