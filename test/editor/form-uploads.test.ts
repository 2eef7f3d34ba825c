import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
} from "../helpers.ts";
import { attachmentsOf, jpeg, notAnImage, sendEditorForm, unconfirmedWhereRequired } from "./support.ts";

/** The editor's forms without JavaScript: an image picked in the form, refused or stored with the post. */

/** Fills the member's allowance of the day in a community (a new member: 10 images). */
async function useAllowance(env: TestEnv, communityId: number, userId: number) {
  await env.deps.db
    .insertInto("attachments")
    .values(
      Array.from({ length: 10 }, (_, i) => ({
        communityId,
        ownerId: userId,
        key: `attachments/${String(i).repeat(32)}-1x1.webp`,
        width: 1,
        height: 1,
        bytes: 1,
        createdAt: env.clock.now() - i * 1000,
      })),
    )
    .execute();
}

describeEachDatabase("the editor's forms without JavaScript: a refused image keeps the typed text", (env) => {
  test("a file that is not an image: the new-topic form comes back (422) with its text and a message", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
    const member = members.member[0];
    const fields = { kind: "question", title: "Router blinks orange", body: "It blinks *orange* all night.", tags: "" };
    const res = await sendEditorForm(env(), member, `/c/${slug}/new`, notAnImage, fields);
    assert.equal(res.status, 422, res.body.slice(0, 300));
    assert.match(res.body, /value="Router blinks orange"/);
    assert.match(res.body, /<textarea[^>]*>It blinks \*orange\* all night\.<\/textarea>/);
    assert.match(res.body, /<a\s+href="#body-image">Attach an image<\/a>: That file is not an image we can use/);
    const topics = await env()
      .deps.db.selectFrom("topics")
      .select("id")
      .where("communityId", "=", community.id)
      .execute();
    assert.equal(topics.length, 0);
    assert.equal((await attachmentsOf(env(), member.id)).length, 0);

    // In the reader's language.
    const german = await sendEditorForm(env(), member, `/c/${slug}/new`, notAnImage, fields, {
      "accept-language": "de",
    });
    assert.equal(german.status, 422);
    assert.match(german.body, /<textarea[^>]*>It blinks \*orange\* all night\.<\/textarea>/);
    assert.doesNotMatch(german.body, /That file is not an image we can use/);
  });

  test("past the day's allowance: the reply form comes back (429) with its text and a message", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await useAllowance(env(), community.id, helper.id);
    const res = await sendEditorForm(env(), helper, `/c/${slug}/t/${topic.id}/reply`, await jpeg(), {
      body: "Unplug it for a minute.",
    });
    assert.equal(res.status, 429, res.body.slice(0, 300));
    assert.match(res.body, /<textarea[^>]*>Unplug it for a minute\.<\/textarea>/);
    assert.match(res.body, /role="alert">\s*<p><strong>You have used today&#39;s image allowance in this community/);
    const replies = await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topic.id).execute();
    assert.equal(replies.length, 0);
    assert.equal((await attachmentsOf(env(), helper.id)).length, 10);
  });

  test("a member who may not post images here: the form comes back (403) with its text; nothing stored", async () => {
    const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const member = members.member[0];
    await unconfirmedWhereRequired(env(), slug, admin, member);
    const fields = { kind: "question", title: "Which cable is which?", body: "Two cables, one port." };
    const res = await sendEditorForm(env(), member, `/c/${slug}/new`, await jpeg(), fields);
    assert.equal(res.status, 403, res.body.slice(0, 300));
    assert.match(res.body, /value="Which cable is which\?"/);
    assert.match(res.body, /<textarea[^>]*>Two cables, one port\.<\/textarea>/);
    assert.match(res.body, /href="#body-image">Attach an image<\/a>: You cannot attach images here\./);
    const topics = await env()
      .deps.db.selectFrom("topics")
      .select("id")
      .where("communityId", "=", community.id)
      .execute();
    assert.equal(topics.length, 0);
    assert.equal((await attachmentsOf(env(), member.id)).length, 0);
  });

  test("the edit forms keep the edited text when the image is refused; the post is unchanged", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const author = members.member[0];
    const topic = await buildTopic(env(), slug, author, { body: "First words." });
    const reply = await buildReply(env(), topic.id, author, "A first answer.");

    const topicEdit = await sendEditorForm(env(), author, `/c/${slug}/t/${topic.id}/edit`, notAnImage, {
      title: "How do I reset my router, really?",
      body: "Edited words.",
      tags: "",
    });
    assert.equal(topicEdit.status, 422, topicEdit.body.slice(0, 300));
    assert.match(topicEdit.body, /value="How do I reset my router, really\?"/);
    assert.match(topicEdit.body, /<textarea[^>]*>Edited words\.<\/textarea>/);
    assert.match(topicEdit.body, /That file is not an image we can use/);

    const replyEdit = await sendEditorForm(env(), author, `/c/${slug}/r/${reply.id}/edit`, notAnImage, {
      body: "An edited answer.",
    });
    assert.equal(replyEdit.status, 422, replyEdit.body.slice(0, 300));
    assert.match(replyEdit.body, /<textarea[^>]*>An edited answer\.<\/textarea>/);
    assert.match(replyEdit.body, /That file is not an image we can use/);

    const stored = await env()
      .deps.db.selectFrom("topics")
      .select(["title", "body"])
      .where("id", "=", topic.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { title: topic.title, body: "First words." });
    const storedReply = await env()
      .deps.db.selectFrom("replies")
      .select("body")
      .where("id", "=", reply.id)
      .executeTakeFirstOrThrow();
    assert.equal(storedReply.body, "A first answer.");
  });
});

describeEachDatabase("an editor form's image is checked in the community its post goes to", (env) => {
  test("suspended in the topic's community: no image stored through another community's address (404)", async () => {
    const home = await buildCommunity(env(), { members: { member: 1 } });
    const elsewhere = await buildCommunity(env());
    const member = home.members.member[0];
    await addMember(env(), elsewhere.community.id, member.id, "member");
    const asker = await buildUser(env());
    await addMember(env(), home.community.id, asker.id, "member");
    const topic = await buildTopic(env(), home.slug, asker);
    const reply = await buildReply(env(), topic.id, member);
    const suspension = await env().api.put(
      `/api/v1/communities/${home.slug}/members/${member.id}/suspension`,
      { days: 3, reason: "Repeated spam." },
      home.admin.auth,
    );
    assert.equal(suspension.status, 200, JSON.stringify(suspension.body));

    for (const url of [
      `/c/${elsewhere.slug}/t/${topic.id}/reply`,
      `/c/${elsewhere.slug}/t/${topic.id}/edit`,
      `/c/${elsewhere.slug}/r/${reply.id}/edit`,
    ]) {
      const res = await sendEditorForm(env(), member, url, await jpeg(), {
        title: "Sneaky",
        body: "Sneaking a picture in.",
      });
      assert.equal(res.status, 404, `${url}: ${res.body.slice(0, 300)}`);
    }
    assert.equal((await attachmentsOf(env(), member.id)).length, 0);

    // Under the topic's own address: refused there (403), the text kept.
    const own = await sendEditorForm(env(), member, `/c/${home.slug}/t/${topic.id}/reply`, await jpeg(), {
      body: "Sneaking a picture in.",
    });
    assert.equal(own.status, 403, own.body.slice(0, 300));
    assert.match(own.body, /<textarea[^>]*>Sneaking a picture in\.<\/textarea>/);
    assert.match(
      own.body,
      /<div class="form-alert" role="alert">\s*<p><strong>You are suspended from this community until [^<]+\. Reason: Repeated spam\./,
    );
    assert.equal((await attachmentsOf(env(), member.id)).length, 0);
    const replies = await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topic.id).execute();
    assert.equal(replies.length, 1);
  });

  test("a member in good standing: the image is stored and counted in the topic's community", async () => {
    const home = await buildCommunity(env(), { members: { member: 2 } });
    const elsewhere = await buildCommunity(env());
    const [asker, helper] = home.members.member;
    await addMember(env(), elsewhere.community.id, helper.id, "member");
    const topic = await buildTopic(env(), home.slug, asker);

    const wrong = await sendEditorForm(env(), helper, `/c/${elsewhere.slug}/t/${topic.id}/reply`, await jpeg(), {
      body: "Here is mine.",
    });
    assert.equal(wrong.status, 404, wrong.body.slice(0, 300));
    assert.equal((await attachmentsOf(env(), helper.id)).length, 0);

    const posted = await sendEditorForm(env(), helper, `/c/${home.slug}/t/${topic.id}/reply`, await jpeg(), {
      body: "Here is mine.",
    });
    assert.equal(posted.status, 303, posted.body.slice(0, 300));
    assert.deepEqual(
      (await attachmentsOf(env(), helper.id)).map((row) => row.communityId),
      [home.community.id],
    );
  });
});
