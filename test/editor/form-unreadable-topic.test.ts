import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { attachmentsOf, jpeg, sendEditorForm } from "./support.ts";

/** An editor form with an image, sent to a topic the member may not read: 404, and nothing is stored. */

describeEachDatabase("the editor's forms with an image on a topic the member may not read", (env) => {
  test("a private category's or a hidden topic: 404 before the image is stored or counted", async () => {
    const { slug, categories, members } = await buildCommunity(env(), {
      categories: ["General", "Billing"],
      members: { member: 2 },
    });
    const [asker, other] = members.member;
    const billing = categories[1].id;
    await env().deps.db.updateTable("categories").set({ scope: "private" }).where("id", "=", billing).execute();
    const secret = await buildTopic(env(), slug, asker, { categoryId: billing });
    const secretReply = await buildReply(env(), secret.id, asker, "The invoice number is in the PDF.");
    const hidden = await buildTopic(env(), slug, asker);
    await env().deps.db.updateTable("topics").set({ moderationState: "hidden" }).where("id", "=", hidden.id).execute();
    const urls = [
      `/c/${slug}/t/${secret.id}/reply`,
      `/c/${slug}/t/${secret.id}/edit`,
      `/c/${slug}/r/${secretReply.id}/edit`,
      `/c/${slug}/t/${hidden.id}/reply`,
    ];
    for (const url of urls) {
      const res = await sendEditorForm(env(), other, url, await jpeg(), { body: "Unplug it for a minute." });
      assert.equal(res.status, 404, `${url}: ${res.body.slice(0, 300)}`);
    }
    assert.deepEqual(await attachmentsOf(env(), other.id), [], "nothing stored or counted");

    // The asker reads their own private topic: their image goes through with the reply.
    const own = await sendEditorForm(env(), asker, `/c/${slug}/t/${secret.id}/reply`, await jpeg(), {
      body: "Here is a photo of the letter.",
    });
    assert.equal(own.status, 303, own.body.slice(0, 300));
    assert.equal((await attachmentsOf(env(), asker.id)).length, 1);
  });
});
