import { test } from "node:test";
import assert from "node:assert/strict";
import {
  htmlToText,
  lightStem,
  queryTerms,
  snippetHtml,
  trigramSimilarity,
  words,
} from "../../src/search/search.text.ts";
import { matchExpression } from "../../src/search/search.sqlite.ts";
import { countDeflected, DEFLECTION_WINDOW_MS } from "../../src/search/deflection.service.ts";

test("query words: letters and digits only, stop words and one-letter words dropped, capped", () => {
  assert.deepEqual(words(`'; DROP table "topics"; -- NEAR(a b)*`), ["drop", "table", "topics", "near", "a", "b"]);
  assert.deepEqual(queryTerms("How do I reset my Router? router!", "en", 10), ["reset", "router"]);
  assert.deepEqual(queryTerms("Wie kann ich meine Rechnung sehen", "de", 10), ["rechnung", "sehen"]);
  assert.equal(queryTerms(Array.from({ length: 50 }, (_, i) => `w${i}`).join(" "), "en", 12).length, 12);
  assert.deepEqual(queryTerms("a & | ! ( ) : * ^ ' \" \\ -", "en", 10), []);
});

test("FTS5 expressions quote every word, so operators stay words", () => {
  assert.equal(matchExpression(["near", "and", "router"], "en", "all"), '"near" AND "and" AND "router"');
  assert.equal(
    matchExpression(["router", "modem"], "en", "any", ["title", "body"]),
    '{title body} : ("router" OR "modem")',
  );
  assert.equal(matchExpression(["rechnungen"], "de", "all"), '"rechnung"*');
  assert.equal(matchExpression(["ab"], "de", "all"), '"ab"');
});

test("the light stemmer maps inflections of de/fr/it to one prefix", () => {
  const same = (locale: "de" | "fr" | "it", forms: string[]) => {
    const stems = forms.map((f) => lightStem(f, locale));
    for (const stem of stems)
      assert.ok(
        forms.every((f) =>
          f
            .normalize("NFKD")
            .replace(/[\u0300-\u036f]/g, "")
            .toLowerCase()
            .startsWith(stem),
        ),
        `${locale} ${forms}: ${stems}`,
      );
  };
  same("de", ["Rechnung", "Rechnungen"]);
  same("de", ["Vertrag", "Verträge", "Vertrages"]);
  same("de", ["Kunde", "Kunden"]);
  same("fr", ["facture", "factures"]);
  same("fr", ["réseau", "réseaux"]);
  same("it", ["bolletta", "bollette"]);
  same("it", ["problema", "problemi"]);
  assert.equal(lightStem("Rechnungen", "de"), "rechnung");
  assert.equal(lightStem("factures", "fr"), "factur");
});

test("snippets: escaped text, balanced marks only", () => {
  assert.equal(
    snippetHtml("a \u0002b\u0003 <script>x</script> & \u0002c"),
    "a <mark>b</mark> &lt;script&gt;x&lt;/script&gt; &amp; <mark>c</mark>",
  );
  assert.equal(snippetHtml("\u0003stray\u0003 \u0002\u0002x\u0003"), "stray <mark>x</mark>");
  assert.ok(snippetHtml("x".repeat(1000)).length < 400);
});

test("html to text keeps words and decodes entities", () => {
  assert.equal(
    htmlToText("<p>Use <code>&lt;b&gt;</code> &amp; more</p>\n<ul><li>one</li><li>two</li></ul>"),
    "Use <b> & more\none\ntwo",
  );
  assert.ok(!htmlToText("a\u0002b").includes("\u0002"));
});

test("trigram similarity: identical 1, disjoint 0, paraphrase between", () => {
  assert.equal(trigramSimilarity("router", "Router"), 1);
  assert.equal(trigramSimilarity("abc", "xyz"), 0);
  const s = trigramSimilarity("Cannot send SMS abroad", "SMS won't send when abroad");
  assert.ok(s > 0.3 && s < 0.9, String(s));
});

test("deflection counting: 30-minute window after each qualifying open", () => {
  const t0 = Date.UTC(2026, 0, 5, 10);
  const range = { fromMs: Date.UTC(2026, 0, 5), endMs: Date.UTC(2026, 0, 6), now: t0 + 2 * DEFLECTION_WINDOW_MS };
  const ev = (type: string, visitId: string | null, at: number, extra: { userId?: number; solved?: number } = {}) =>
    ({ type, visitId, userId: extra.userId ?? null, solved: extra.solved ?? 0, createdAt: at }) as Parameters<
      typeof countDeflected
    >[0][number];
  const day = Math.floor(t0 / 86_400_000);
  assert.equal(countDeflected([ev("suggestion_opened", "v1", t0)], range).get(day), 1);
  assert.equal(
    countDeflected([ev("suggestion_opened", "v1", t0), ev("topic_posted", "v1", t0 + DEFLECTION_WINDOW_MS)], range).get(
      day,
    ),
    undefined,
  );
  assert.equal(
    countDeflected(
      [ev("suggestion_opened", "v1", t0), ev("topic_posted", "v1", t0 + DEFLECTION_WINDOW_MS + 1)],
      range,
    ).get(day),
    1,
  );
  assert.equal(
    countDeflected([ev("result_opened", "v1", t0)], range).get(day),
    undefined,
    "an unsolved result does not count",
  );
  assert.equal(countDeflected([ev("result_opened", "v1", t0, { solved: 1 })], range).get(day), 1);
  assert.equal(
    countDeflected(
      [ev("suggestion_opened", "v1", t0, { userId: 7 }), ev("topic_posted", null, t0 + 60_000, { userId: 7 })],
      range,
    ).get(day),
    undefined,
  );
  assert.equal(
    countDeflected([ev("suggestion_opened", "v1", t0), ev("suggestion_opened", "v2", t0)], range).get(day),
    2,
    "one per visit",
  );
  assert.equal(
    countDeflected([ev("suggestion_opened", "v1", t0), ev("suggestion_opened", "v1", t0 + 1000)], range).get(day),
    1,
  );
  assert.equal(
    countDeflected([ev("suggestion_opened", "v1", t0)], { ...range, now: t0 + DEFLECTION_WINDOW_MS - 1 }).get(day),
    undefined,
    "not settled yet",
  );
});
