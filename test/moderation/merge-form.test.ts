import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse, postForm } from "../web/web-helpers.ts";

/**
 * The moderate-topic page's merge form, refused (no such topic, publishing a less visible topic not
 * confirmed), comes back as the page with the reason in the reader's language and the number typed,
 * instead of the bare error page ("Some fields are invalid.", in English only).
 */
describeEachDatabase("the merge form refused", (env) => {
  test("comes back on the moderate page, saying why, in German", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [asker] = members.member;
    const [moderator] = members.moderator;
    const source = await buildTopic(env(), slug, asker, { title: "Router blinks red after update" });
    const target = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    const hidden = await env().api.post(`/api/v1/posts/topic/${source.id}/hide`, { reason: "Check" }, moderator.auth);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    const browser = await browse(env(), moderator);
    const merge = (fields: Record<string, string>) =>
      postForm(env(), `/c/${slug}/t/${source.id}/merge`, { _csrf: browser.csrf, ...fields }, browser.cookie, {
        "accept-language": "de",
      });

    const unconfirmed = await merge({ intoTopicId: String(target.id) });
    assert.equal(unconfirmed.status, 422);
    assert.match(unconfirmed.body, /<form method="post" action="[^"]+\/merge"/, "the merge form again");
    assert.match(unconfirmed.body, /Setz das Häkchen, um trotzdem zusammenzuführen\./);
    assert.match(unconfirmed.body, new RegExp(`name="intoTopicId" min="1" value="${target.id}"`), "the number kept");

    const unknown = await merge({ intoTopicId: "999999" });
    assert.equal(unknown.status, 422);
    assert.match(unknown.body, /Gib die Nummer eines sichtbaren Themas dieser Community an\./);

    const confirmed = await merge({ intoTopicId: String(target.id), confirmPublish: "on" });
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.headers.location, `/c/${slug}/t/${target.id}`);
  });
});
