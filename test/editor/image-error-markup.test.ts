import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { notAnImage, sendEditorForm } from "./support.ts";
import { assertUniqueIds, browse, elementWithId, idsOf } from "../web/web-helpers.ts";

/** The editor's forms without JavaScript: a refused image is explained next to the file field. */

/** The file field's input, its message and the alert's link to it. */
function assertImageErrorMarkup(body: string, what: string): void {
  assertUniqueIds(body, what);
  const input = elementWithId(body, "body-image");
  assert.match(input, /type="file"/, what);
  assert.match(input, /\saria-invalid="true"/, `${what}: the file input is marked invalid`);
  const describedBy = /aria-describedby="([^"]*)"/.exec(input)?.[1].split(/\s+/) ?? [];
  assert.deepEqual(describedBy, ["body-image-hint", "body-image-error"], `${what}: the input names its message`);
  assert.match(
    body,
    /<p class="field-error" id="body-image-error">That file is not an image we can use/,
    `${what}: the message by the file field`,
  );
  // The alert links to the file input itself; every link of the alert names an element of the page.
  const alert = /<div class="form-alert" role="alert">[\s\S]*?<\/div>/.exec(body)?.[0] ?? "";
  assert.match(alert, /<a\s+href="#body-image">/, `${what}: the alert's link goes to the file input`);
  const ids = new Set(idsOf(body));
  for (const m of alert.matchAll(/href="#([^"]*)"/g)) assert.ok(ids.has(m[1]), `${what}: alert link #${m[1]}`);
  // The text field is not marked for the image's fault.
  assert.doesNotMatch(elementWithId(body, "body"), /aria-invalid/, `${what}: the text field is fine`);
}

describeEachDatabase("a refused image is explained next to the editor's file field", (env) => {
  test("new topic, reply, topic edit and reply edit: message by the input, aria wired, ids unique", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const author = members.member[0];
    const topic = await buildTopic(env(), slug, author, { body: "First words." });
    const reply = await buildReply(env(), topic.id, author, "A first answer.");

    const forms: [what: string, url: string, fields: Record<string, string>][] = [
      ["new topic", `/c/${slug}/new`, { kind: "question", title: "Router blinks orange", body: "Orange.", tags: "" }],
      ["reply", `/c/${slug}/t/${topic.id}/reply`, { body: "Unplug it for a minute." }],
      ["topic edit", `/c/${slug}/t/${topic.id}/edit`, { title: "How do I reset it?", body: "Edited.", tags: "" }],
      ["reply edit", `/c/${slug}/r/${reply.id}/edit`, { body: "An edited answer." }],
    ];
    for (const [what, url, fields] of forms) {
      const res = await sendEditorForm(env(), author, url, notAnImage, fields);
      assert.equal(res.status, 422, `${what}: ${res.body.slice(0, 300)}`);
      assertImageErrorMarkup(res.body, what);
    }
  });

  test("without a refused image the file input is neither invalid nor described by a message", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const visitor = await browse(env(), members.member[0]);
    const res = await env().app.inject({ method: "GET", url: `/c/${slug}/new`, headers: { cookie: visitor.cookie } });
    assert.equal(res.statusCode, 200);
    assertUniqueIds(res.body, "new topic");
    const input = elementWithId(res.body, "body-image");
    assert.doesNotMatch(input, /aria-invalid/);
    assert.match(input, /aria-describedby="body-image-hint"/);
    assert.doesNotMatch(res.body, /id="body-image-error"/);
  });
});
