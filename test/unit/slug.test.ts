import { test } from "node:test";
import assert from "node:assert/strict";
import { slugify } from "../../src/lib/slug.ts";
import { topicPath, topicSlug } from "../../src/topics/topics.urls.ts";

test("slugify folds diacritics, keeps letters and digits, and cuts at a word", () => {
  assert.equal(slugify("Zürich: Wi-Fi drops at 5 pm?"), "zurich-wi-fi-drops-at-5-pm");
  assert.equal(slugify("Straße ÉTÉ à Genève"), "strasse-ete-a-geneve");
  assert.equal(slugify('Router blinks <red> & "green"'), "router-blinks-red-green");
  assert.equal(slugify("  -- ?? "), "");
  assert.equal(slugify("word ".repeat(20)), `${"word-".repeat(11)}word`);
  assert.equal(slugify("a".repeat(70)), "a".repeat(60));
});

test("a topic's slug is never empty nor the name of one of its subpages", () => {
  assert.equal(topicSlug("???"), "topic");
  assert.equal(topicSlug("History ???"), "history-topic");
  assert.equal(topicSlug("Edit!"), "edit-topic");
  assert.equal(topicPath("demo", 5, "How do I reset my router?"), "/c/demo/t/5/how-do-i-reset-my-router");
});
