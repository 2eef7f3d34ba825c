import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { postFillers, postIndexed, roomyLimits, searchUrl, titles } from "./support.ts";

/** Ranking behaviour issue #17 asks for, pinned on both engines. */
const similar = (env: TestEnv, slug: string, params: Record<string, string>) =>
  env.api.get(`/api/v1/communities/${slug}/similar?${new URLSearchParams(params)}`);
const similarTitles = (body: { topic: { title: string } | null }[]) => body.map((s) => s.topic?.title);

/** A fixed corpus: related questions that differ in where and how often the query words appear. */
const CORPUS = [
  { title: "Router drops the wifi every evening", body: "The router light turns red at night.", tags: ["router"] },
  { title: "Wifi slow in the evening", body: "Speed falls after 8 pm, the router is fine." },
  { title: "Router firmware update failed", body: "The update stopped at 80 percent.", tags: ["router"] },
  { title: "Evening outages on fibre", body: "Every evening the fibre line goes down for a minute." },
  { title: "Mesh repeater loses the router", body: "The repeater disconnects from the router every evening." },
  { title: "Router drops the wifi every evening", body: "The router light turns red at night.", tags: ["router"] },
  { title: "TV box freezes", body: "The picture freezes in the evening." },
  { title: "Roaming charges on my bill", body: "I was charged for roaming in France." },
];

describeEachDatabase(
  "search ranking: relevance",
  (env) => {
    test("a paraphrase with no word in common with the question is found through its accepted answer", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postFillers(env(), slug, asker, helper);
      const paraphrase = await postIndexed(env(), slug, asker, helper, {
        title: "Device reboots itself while charging",
        body: "It shuts down and comes back.",
        replies: ["Your handset keeps restarting because of the battery saver; switch the saver off overnight."],
        accept: 0,
      });
      const res = await similar(env(), slug, { title: "Handset keeps restarting overnight", body: "" });
      assert.equal(res.status, 200);
      assert.equal(res.body[0]?.topic.id, paraphrase.id, "found through the accepted answer");
    });

    test("a candidate found only by title trigrams (a misspelt title) is scored and kept, not cut", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postFillers(env(), slug, asker, helper);
      const misspelt = await postIndexed(env(), slug, asker, helper, {
        title: "Voicemail greeting",
        body: "Details follow.",
      });
      // "router firmware" matches a filler strongly; "voicemale greating" shares no word with
      // anything, only trigrams with the voicemail topic. Before #17 the 20% cut dropped it.
      const res = await similar(env(), slug, { title: "Voicemale greating after router firmware" });
      assert.equal(res.status, 200);
      const found = similarTitles(res.body);
      assert.equal(found[0], "Router firmware update");
      assert.ok(found.includes("Voicemail greeting"), `trigram-only candidate kept: ${found}`);
      assert.ok(res.body.find((s: any) => s.topic.id === misspelt.id).score > 0);
    });

    test("the same order on both engines for a fixed corpus (exact ties broken by the newest)", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      for (const spec of CORPUS) await postIndexed(env(), slug, asker, helper, spec);
      const found = await similar(env(), slug, { title: "Router wifi drops every evening", limit: "10" });
      assert.deepEqual(similarTitles(found.body), [
        "Router drops the wifi every evening",
        "Router drops the wifi every evening",
        "Wifi slow in the evening",
        "Mesh repeater loses the router",
        "Evening outages on fibre",
        "Router firmware update failed",
      ]);
      // The scores themselves are pinned: both engines compute the same numbers. A title alone
      // weighs title trigrams 0.45; with a body (here a word no document holds) 0.3, and the query
      // likelihood 0.1 (it adds to the two that say the title's words in few words).
      assert.deepEqual(
        found.body.map((s: any) => s.score),
        [0.9322, 0.9322, 0.3855, 0.2503, 0.2071, 0.1413],
      );
      const withBody = await similar(env(), slug, {
        title: "Router wifi drops every evening",
        body: "zzqx",
        limit: "10",
      });
      assert.deepEqual(similarTitles(withBody.body), similarTitles(found.body));
      assert.deepEqual(
        withBody.body.map((s: any) => s.score),
        [0.8155, 0.8155, 0.3379, 0.2293, 0.1764, 0.1207],
      );
      assert.ok(found.body[0].topic.id > found.body[1].topic.id, "an exact tie goes to the newest");
      const searched = await env().api.get(searchUrl(slug, { q: "router evening" }));
      assert.deepEqual(titles(searched.body), [
        "Router drops the wifi every evening",
        "Router drops the wifi every evening",
        "Mesh repeater loses the router",
        "Wifi slow in the evening",
        "Router firmware update failed",
        "Evening outages on fibre",
        "TV box freezes",
      ]);
      assert.deepEqual(
        searched.body.results.map((r: any) => r.score),
        [0.589679, 0.589679, 0.508284, 0.429346, 0.364543, 0.242611, 0.17417],
      );
      assert.ok(searched.body.results[0].topic.id > searched.body.results[1].topic.id);
    });

    test('hyphens and diacritics fold in the index and the query: "wifi" finds "Wi-Fi", "Zurich" finds "Zürich"', async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postIndexed(env(), slug, asker, helper, { title: "Wi-Fi calling not available", body: "On my new phone." });
      await postIndexed(env(), slug, asker, helper, {
        title: "Shop opening hours in Zürich",
        body: "Near the station.",
      });
      await postIndexed(env(), slug, asker, helper, { title: "Invoice address change", body: "I moved to Genève." });
      const q = async (text: string) => titles((await env().api.get(searchUrl(slug, { q: text }))).body);
      assert.deepEqual(await q("wifi"), ["Wi-Fi calling not available"]);
      assert.deepEqual(await q("WiFi calling"), ["Wi-Fi calling not available"]);
      assert.deepEqual(await q("wi-fi"), ["Wi-Fi calling not available"]);
      assert.deepEqual(await q("zurich"), ["Shop opening hours in Zürich"]);
      assert.deepEqual(await q("geneve"), ["Invoice address change"]);
      const snippet = (await env().api.get(searchUrl(slug, { q: "geneve" }))).body.results[0].snippet;
      assert.match(snippet, /<mark>Genève<\/mark>/, "the snippet marks the word as written");
      const suggested = await similar(env(), slug, { title: "Wifi calling on a new phone" });
      assert.equal(suggested.body[0].topic.title, "Wi-Fi calling not available");
    });
  },
  roomyLimits,
);
