import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { UPLOAD_ATTEMPTS } from "../../src/editor/editor.service.ts";
import { attachmentsOf, jpeg, notAnImage, sendEditorForm, uploadImage } from "./support.ts";

/**
 * Every image sent is decoded before it is judged, and the day's allowance counts stored images only:
 * refused ones (not an image, unreadable) count against a short-term limit of attempts too.
 */

describeEachDatabase("image uploads refused for their content still count against a limit of attempts", (env) => {
  test("past the attempts, even a good image is 429 before it is decoded; another member and later are fine", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [member, other] = members.member;
    for (let i = 0; i < UPLOAD_ATTEMPTS.max; i++) {
      const refused = await uploadImage(env(), slug, member, notAnImage);
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
    }
    const again = await uploadImage(env(), slug, member, notAnImage);
    assert.equal(again.status, 429, JSON.stringify(again.body));
    assert.equal(again.body.error.code, "rate_limited");
    assert.match(again.body.error.fields.image, /Too many images/);
    assert.equal((await uploadImage(env(), slug, member, await jpeg())).status, 429);
    assert.equal((await attachmentsOf(env(), member.id)).length, 0);

    assert.equal((await uploadImage(env(), slug, other, await jpeg())).status, 201);
    env().clock.advance(UPLOAD_ATTEMPTS.windowMs);
    assert.equal((await uploadImage(env(), slug, member, await jpeg())).status, 201);
  });

  test("the reply form past the attempts comes back (429) with its text and the reason; nothing posted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    for (let i = 0; i < UPLOAD_ATTEMPTS.max; i++)
      assert.equal((await uploadImage(env(), slug, helper, notAnImage)).status, 422);
    const res = await sendEditorForm(env(), helper, `/c/${slug}/t/${topic.id}/reply`, await jpeg(), {
      body: "Unplug it for a minute.",
    });
    assert.equal(res.status, 429, res.body.slice(0, 300));
    assert.match(res.body, /<textarea[^>]*>Unplug it for a minute\.<\/textarea>/);
    assert.match(res.body, /role="alert">\s*<p><strong>Too many attempts in a short time/);
    const replies = await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topic.id).execute();
    assert.equal(replies.length, 0);
    assert.equal((await attachmentsOf(env(), helper.id)).length, 0);
  });
});
