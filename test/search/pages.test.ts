import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { pageContext } from "../../src/web/layout.ts";
import { duplicateBanner, duplicateOf } from "../../src/search/duplicates.ts";
import { topicViewer } from "../../src/topics/index.ts";
import { similarSuggestions, searchBox } from "../../src/search/search.views.ts";
import { similarScript } from "../../src/search/search.assets.ts";
import { similarTopics } from "../../src/search/similar.ts";
import { trigramSimilarity } from "../../src/search/search.text.ts";
import { postIndexed, roomyLimits } from "./support.ts";
import { communityAccess } from "../../src/communities/communities.access.ts";

describeEachDatabase(
  "search pages and view helpers",
  (env) => {
    test("the search page shows results with snippet, status and replies, translated and escaped", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "Modem <img src=x onerror=alert(1)> lights",
        body: "The modem blinks orange.",
        replies: ["Replace the modem cable."],
        accept: 0,
      });
      for (let i = 0; i < 3; i++) await postIndexed(env(), slug, asker, helper, { title: `Modem question ${i}` });
      const page = await getPage(env(), `/c/${slug}/search?q=modem&limit=2`);
      assert.equal(page.status, 200);
      assert.match(page.body, /<form class="filters search-form" role="search"/);
      assert.match(page.body, /<label for="q">Search questions, answers and articles<\/label>/);
      assert.match(page.body, /<mark>modem<\/mark>/i);
      assert.ok(!page.body.includes("<img src=x"), "titles are escaped");
      assert.match(page.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.match(page.body, new RegExp(`href="${solved.url}" data-deflect="result_opened"`));
      assert.match(page.body, /<span class="badge success">Solved<\/span>/);
      assert.match(page.body, /1 reply/);
      assert.match(page.body, /rel="next"/, "more results link");
      assert.ok(page.body.includes(similarScript.url), "the client script is on the page");
      const next = /href="([^"]+)" rel="next"/.exec(page.body)![1].replace(/&amp;/g, "&");
      assert.equal((await getPage(env(), next)).status, 200);

      const de = await getPage(env(), `/c/${slug}/search?q=modem`, null, { "accept-language": "de" });
      assert.match(de.body, /Ergebnisse für „modem“/);
      assert.match(de.body, /Gelöst/);
      const fr = await getPage(env(), `/c/${slug}/search?q=zzzzqqq`, null, { "accept-language": "fr" });
      assert.match(fr.body, /Aucun résultat pour « zzzzqqq »/);
      const it = await getPage(env(), `/c/${slug}/search`, null, { "accept-language": "it" });
      assert.match(it.body, /Scrivi almeno due lettere/);
      const xss = await getPage(env(), `/c/${slug}/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
      assert.equal(xss.status, 200);
      assert.ok(!xss.body.includes("<script>alert(1)"));
    });

    test("no results: members are offered to ask, from the abilities search returns", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const url = `/c/${slug}/search?q=zzzzqqq`;
      assert.doesNotMatch((await getPage(env(), url)).body, /Ask the community/);
      assert.match(
        (await getPage(env(), url, members.member[0])).body,
        new RegExp(`<a class="button" href="/c/${slug}/new">Ask`),
      );
      const api = `/api/v1/communities/${slug}/search?q=zzzzqqq`;
      assert.deepEqual((await env().api.get(api)).body.abilities, { post: false });
      assert.deepEqual((await env().api.get(api, members.member[0].auth)).body.abilities, { post: true });
    });

    test("private community search page: 404 for outsiders", async () => {
      const secret = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
      assert.equal((await getPage(env(), `/c/${secret.slug}/search?q=x`)).status, 404);
      assert.equal((await getPage(env(), `/c/${secret.slug}/search?q=x`, await buildUser(env()))).status, 404);
      assert.equal((await getPage(env(), `/c/${secret.slug}/search?q=x`, secret.members.member[0])).status, 200);
    });

    test("view helpers for the lead: suggestions box, search box, duplicate banner, client script", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
      const [asker, helper] = members.member;
      const original = await postIndexed(env(), slug, asker, helper, {
        title: "Porting <b>my</b> number from another carrier",
        replies: ["Ask for the PAC code."],
        accept: 0,
      });
      const copy = await postIndexed(env(), slug, asker, helper, { title: "How do I port my number" });
      const req = { actor: null, headers: {}, url: "/", cookies: {} } as any;
      const reply = { setCookie() {} } as any;
      const page = pageContext(req, reply, env().deps);
      const access = await communityAccess(env().deps, { slug: slug }, null);
      const items = await similarTopics(env().deps, access, { title: "port my number to you", limit: 5 });
      assert.ok(items.length >= 1);
      const box = similarSuggestions(page, slug, items).value;
      assert.match(box, new RegExp(`data-similar-api="/api/v1/communities/${slug}/similar"`));
      assert.match(box, /aria-live="polite"/);
      assert.match(box, /data-deflect="suggestion_opened"/);
      assert.ok(box.includes("Porting &lt;b&gt;my&lt;/b&gt; number"), "escaped title");
      assert.match(similarSuggestions(page, slug).value, /data-similar[^>]*><\/div>$/, "empty without items");
      assert.match(searchBox(page, slug, '"q').value, /value="&quot;q"/);

      assert.equal(await duplicateOf(env().deps, copy.id, topicViewer(access)), null);
      assert.equal(duplicateBanner(page, null).value, "");
      await env().api.post(`/api/v1/topics/${copy.id}/duplicate`, { of: original.id }, members.moderator[0].auth);
      const banner = duplicateBanner(page, await duplicateOf(env().deps, copy.id, topicViewer(access))).value;
      assert.match(banner, new RegExp(`<a href="/c/${slug}/t/${original.id}">Porting &lt;b&gt;my&lt;/b&gt; number`));
      assert.match(banner, /This question has been asked before/);

      const script = await env().app.inject({ method: "GET", url: similarScript.url });
      assert.equal(script.statusCode, 200);
      assert.match(String(script.headers["content-type"]), /javascript/);
      assert.match(String(script.headers["cache-control"]), /immutable/);
      assert.match(script.body, /data-similar/);
    });

    test("trigram similarity in TypeScript agrees with pg_trgm", async (t) => {
      if (env().deps.dialect !== "postgres") return t.skip("needs PostgreSQL");
      const pairs = [
        ["Cannot send SMS abroad", "SMS won't send when abroad"],
        ["Router keeps blinking red", "router blinking"],
        ["Rechnung für März fehlt", "Rechnungen fehlen"],
        ["a", "b"],
        ["Voicemail PIN reset", "Reset voicemail pin"],
      ];
      const schema = (
        await sql<{
          s: string;
        }>`select extnamespace::regnamespace::text as s from pg_extension where extname = 'pg_trgm'`.execute(
          env().deps.db,
        )
      ).rows[0].s;
      for (const [a, b] of pairs) {
        const row = await sql<{ v: number }>`select ${sql.raw(`${schema}.similarity`)}(${a}, ${b}) as v`.execute(
          env().deps.db,
        );
        assert.ok(
          Math.abs(Number(row.rows[0].v) - trigramSimilarity(a, b)) < 0.02,
          `${a} / ${b}: ${row.rows[0].v} vs ${trigramSimilarity(a, b)}`,
        );
      }
    });
  },
  roomyLimits,
);
