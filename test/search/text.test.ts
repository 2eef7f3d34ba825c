import { test } from "node:test";
import assert from "node:assert/strict";
import {
  analyze,
  highlight,
  highlighter,
  htmlToText,
  lightStem,
  MARK_CLOSE,
  MARK_OPEN,
  queryTerms,
  queryTermsOf,
  snippetHtml,
  trigramSimilarity,
  words,
} from "../../src/search/search.text.ts";
import { porterStem } from "../../src/search/search.stem.ts";
import { countDeflected, DEFLECTION_WINDOW_MS } from "../../src/search/deflection.service.ts";

test("query words: letters and digits only, stop words and one-letter words dropped, capped", () => {
  assert.deepEqual(words(`'; DROP table "topics"; -- NEAR(a b)*`), ["drop", "table", "topics", "near", "a", "b"]);
  assert.deepEqual(queryTerms("How do I reset my Router? router!", "en", 10), ["reset", "router"]);
  assert.deepEqual(queryTerms("Wie kann ich meine Rechnung sehen", "de", 10), ["rechnung", "sehen"]);
  assert.equal(queryTerms(Array.from({ length: 50 }, (_, i) => `w${i}`).join(" "), "en", 12).length, 12);
  assert.deepEqual(queryTerms("a & | ! ( ) : * ^ ' \" \\ -", "en", 10), []);
});

test("index terms: folded hyphens and diacritics, stop words dropped, stemmed by language", () => {
  assert.deepEqual(analyze("Wi-Fi drops", "en"), ["wifi", "wi", "fi", "drop"]);
  assert.deepEqual(queryTermsOf("wifi", "en", 10), ["wifi"]);
  assert.deepEqual(queryTermsOf("Wi\u2011Fi", "en", 10), ["wifi"], "a non-breaking hyphen folds too");
  assert.deepEqual(queryTermsOf("WiFi", "en", 10), ["wifi"]);
  assert.deepEqual(queryTermsOf("Zürich", "de", 10), queryTermsOf("Zurich", "de", 10));
  assert.deepEqual(queryTermsOf("Straße", "de", 10), queryTermsOf("strasse", "de", 10));
  assert.deepEqual(queryTermsOf("café crème", "fr", 10), queryTermsOf("cafe creme", "fr", 10));
  assert.deepEqual(queryTermsOf("The router's lights are disconnecting", "en", 10), ["router", "light", "disconnect"]);
  assert.deepEqual(queryTermsOf(`'; DROP table "topics"; -- NEAR(a b)*`, "en", 10), ["drop", "tabl", "topic", "near"]);
  assert.deepEqual(queryTermsOf("Rechnungen", "de", 10), queryTermsOf("Rechnung", "de", 10));
});

test("the Porter stemmer reduces inflections to one term", () => {
  for (const [word, stem] of [
    ["disconnecting", "disconnect"],
    ["disconnects", "disconnect"],
    ["hangovers", "hangov"],
    ["relational", "relat"],
    ["ponies", "poni"],
    ["hopping", "hop"],
    ["802", "802"],
  ])
    assert.equal(porterStem(word), stem, word);
});

test("highlight marks the words the index matched, in the best window", () => {
  const marked = highlight("Our Wi-Fi router is fine, but the wifi in the kitchen drops.", new Set(["wifi"]), "en");
  assert.equal(marked.split(MARK_OPEN).length - 1, 2);
  assert.ok(marked.includes(`${MARK_OPEN}Wi-Fi${MARK_CLOSE}`));
  assert.ok(marked.includes(`${MARK_OPEN}wifi${MARK_CLOSE}`));
  const long = `${"filler ".repeat(100)}the modem blinks red ${"filler ".repeat(100)}`;
  const window = highlight(long, new Set(["modem"]), "en");
  assert.ok(window.startsWith("…") && window.endsWith("…") && window.includes(`${MARK_OPEN}modem${MARK_CLOSE}`));
  assert.equal(highlight("nothing here", new Set(["modem"]), "en"), "nothing here");
});

test("highlight stops reading once a window holds every term, with the same passage as reading it all", () => {
  const terms = new Set(["modem", "red"]);
  const head = `${"filler ".repeat(30)}the modem blinks red and then `;
  const short = highlight(`${head}${"more words ".repeat(20)}`, terms, "en");
  const long = highlight(`${head}${"more words ".repeat(30_000)}`, terms, "en");
  assert.equal(long, short);
  assert.ok(short.startsWith("…filler") && short.endsWith("…") && short.includes(`${MARK_OPEN}red${MARK_CLOSE}`));
  // One term: the lone match is centred; several texts share one highlighter.
  const one = highlighter(new Set(["modem"]), "en");
  assert.equal(one(`${"a ".repeat(5)}modem`), `${"a ".repeat(5)}${MARK_OPEN}modem${MARK_CLOSE}`);
  assert.equal(
    one(`${"x ".repeat(40)}modem ${"y ".repeat(5000)}`),
    highlight(`${"x ".repeat(40)}modem ${"y ".repeat(12)}`, new Set(["modem"]), "en"),
  );
  assert.equal(one("nothing here"), "nothing here");
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
  const range = {
    fromMs: Date.UTC(2026, 0, 5),
    endMs: Date.UTC(2026, 0, 6),
    now: t0 + 2 * DEFLECTION_WINDOW_MS,
    timezone: "UTC",
  };
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
