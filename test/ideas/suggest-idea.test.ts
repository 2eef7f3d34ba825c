import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

/** The kind the new-topic form starts with: the radio button it checks. */
const selectedKind = (body: string) => body.match(/name="kind"\s+value="(\w+)" checked/)?.[1];

describeEachDatabase("suggesting an idea from the board", (env) => {
  test("the board's link opens the new-topic form with the kind idea chosen; an odd kind is ignored", async () => {
    const { slug, admin } = await buildCommunity(env());
    const board = await getPage(env(), `/c/${slug}/ideas`, admin);
    const link = board.body.match(/<a href="([^"]*)">Suggest an idea<\/a>/)?.[1];
    assert.equal(link, `/c/${slug}/new?kind=idea`);
    const form = await getPage(env(), link, admin);
    assert.equal(form.status, 200);
    assert.equal(selectedKind(form.body), "idea");
    const plain = await getPage(env(), `/c/${slug}/new`, admin);
    assert.equal(selectedKind(plain.body), "question", "a question by default");
    const odd = await getPage(env(), `/c/${slug}/new?kind=bogus&title=Router`, admin);
    assert.equal(odd.status, 200);
    assert.equal(selectedKind(odd.body), "question");
    assert.match(odd.body, /name="title"[^>]* value="Router"/, "the title is kept when the kind is odd");
  });
});
