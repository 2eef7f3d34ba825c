import { test } from "node:test";
import assert from "node:assert/strict";
import { normalize, spamSignals } from "../../src/moderation/moderation.screening.ts";
import { DEFAULT_MODERATION_SETTINGS } from "../../src/moderation/moderation.settings.ts";
import { renderMarkdown } from "../../src/lib/markdown.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";

const signals = (text: string) =>
  spamSignals({ type: "reply", text, html: renderMarkdown(text) }, 1, DEFAULT_MODERATION_SETTINGS.spam);

test("blocked phrases are found through character references, escapes, accents and every invisible character", () => {
  for (const text of [
    "Great &#99;asino bonus", // shows "casino"
    "Great c&#x61;sino bonus",
    "Great casino&nbsp;bonus",
    "Great casino&#32;bonus",
    "Great cas&iacute;no bonus", // shows "casíno"
    "Great cas\\*ino bonus", // shows "cas*ino", as "**ca**sino" is
    "Great cásino bonus",
    "Great c\u0332asino bonus", // combining underline
    "Great V\u0130AGRA", // dotted capital I
    "Great ca\u034fsino bonus", // combining grapheme joiner
    "Great ca\ufe0fsino bonus", // variation selector
    "Great ca\u3164sino bonus", // Hangul filler
    "Great ca\u061csino bonus", // Arabic letter mark
    "Great ca\u{e0020}sino bonus", // tag space
  ]) {
    assert.equal(signals(text).score, 3, JSON.stringify(text));
  }
  assert.equal(normalize("Caf&eacute; &amp; Cr\u00e8me"), "cafe & creme");
  assert.deepEqual(signals("How do I reset my router?"), { score: 0, signals: [] });
});

describeEachDatabase("spam variants in posts", (env) => {
  test("a topic with an entity-encoded blocked phrase waits for review like the plain one", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const member = members.member[0];
    const res = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "Best offers this week", body: "Get your c&#x61;sino&nbsp;bonus here.", tags: [] },
      member.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const queued = await env()
      .deps.db.selectFrom("reviewQueue")
      .select(["reason", "details"])
      .where("targetType", "=", "topic")
      .where("targetId", "=", res.body.topic.id)
      .executeTakeFirst();
    assert.equal(queued?.reason, "spam");
    assert.match(String(queued?.details), /casino bonus/);
  });
});
