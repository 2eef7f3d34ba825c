import { before, test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { postIndexed, roomyLimits, searchUrl, setLocale, titles } from "./support.ts";

/** Query strings that carry FTS5 or tsquery syntax, SQL or oddities: each must be a 200 with sensible results. */
const HOSTILE = [
  "&",
  "|",
  "!",
  "(",
  ")",
  ":",
  "*",
  "^",
  "'",
  '"',
  "\\",
  "-",
  "&|!():*^'\"\\-",
  'router"',
  '"router',
  "router*",
  "(router",
  "router)",
  "router AND",
  "AND router",
  "router OR",
  "NOT router",
  "router NOT",
  "NEAR(router modem)",
  "NEAR router",
  "router NEAR/2 modem",
  "-router",
  "router -modem",
  "^router",
  "title:router",
  "{title body}: router",
  "router & modem | !reset",
  "router <-> modem",
  "router:*",
  "'router' & 'modem'",
  "'; drop table topics; --",
  '" OR 1=1 --',
  "router'); delete from search_documents; --",
  "%_%",
  "🙂 router 🙂",
  "ルーター router",
  "‮router",
];

describeEachDatabase(
  "search: bad input",
  (env) => {
    let slug = "";
    let deSlug = "";
    before(async () => {
      const built = await buildCommunity(env(), { members: { member: 2 } });
      slug = built.slug;
      const [asker, helper] = built.members.member;
      await postIndexed(env(), slug, asker, helper, {
        title: "Router reset does not help",
        body: "The modem light is red.",
      });
      await postIndexed(env(), slug, asker, helper, { title: "Modem swap", body: "Where do I return the old router?" });
      const de = await buildCommunity(env(), { members: { member: 2 } });
      deSlug = de.slug;
      await setLocale(env(), de.community.id, "de");
      await postIndexed(env(), deSlug, de.members.member[0], de.members.member[1], {
        title: "Router startet neu",
        body: "Das Modem blinkt.",
      });
    });

    test("empty and one-character queries: 200 with no results", async () => {
      for (const q of ["", " ", "a", "é", "?", "  x  "]) {
        const res = await env().api.get(searchUrl(slug, { q }));
        assert.equal(res.status, 200, q);
        assert.deepEqual(res.body.results, [], q);
        assert.equal(res.body.nextCursor, null);
      }
      const missing = await env().api.get(`/api/v1/communities/${slug}/search`);
      assert.equal(missing.status, 200);
      assert.deepEqual(missing.body.results, []);
      const stopWords = await env().api.get(searchUrl(slug, { q: "how do I the" }));
      assert.deepEqual(stopWords.body.results, [], "only stop words: nothing to search");
    });

    test("long queries are capped, not refused, up to a sane size", async () => {
      const long = `router ${"modem ".repeat(400)}`.slice(0, 2000);
      const res = await env().api.get(searchUrl(slug, { q: long }));
      assert.equal(res.status, 200);
      assert.ok(titles(res.body).length > 0);
      const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
      assert.equal((await env().api.get(searchUrl(slug, { q: words }))).status, 200);
      const huge = await env().api.get(searchUrl(slug, { q: "x".repeat(10_001) }));
      assert.equal(huge.status, 422);
      assert.ok(huge.body.error.fields.q);
      const similar = await env().api.get(
        `/api/v1/communities/${slug}/similar?title=${encodeURIComponent(long)}&body=${encodeURIComponent(long)}`,
      );
      assert.equal(similar.status, 200);
    });

    test("syntax characters, operators and SQL are plain words on both databases", async () => {
      for (const community of [slug, deSlug]) {
        for (const q of HOSTILE) {
          const res = await env().api.get(searchUrl(community, { q }));
          assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
          assert.ok(Array.isArray(res.body.results), q);
          const similar = await env().api.get(
            `/api/v1/communities/${community}/similar?title=${encodeURIComponent(q)}&body=${encodeURIComponent(q)}`,
          );
          assert.equal(similar.status, 200, `similar ${q}: ${JSON.stringify(similar.body)}`);
          assert.ok(Array.isArray(similar.body), q);
        }
      }
      // Words inside the syntax still count.
      assert.ok(
        titles((await env().api.get(searchUrl(slug, { q: '"router*' }))).body).includes("Router reset does not help"),
      );
      assert.ok(
        titles((await env().api.get(searchUrl(slug, { q: "NOT router" }))).body).includes("Router reset does not help"),
        "NOT is a word, not an operator",
      );
      const sql = await env().api.get(searchUrl(slug, { q: "'; drop table topics; --" }));
      assert.deepEqual(sql.body.results, []);
      const count = await env()
        .deps.db.selectFrom("topics")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      assert.ok(Number(count.n) >= 3, "the topics table is still there");
      assert.equal((await env().api.get(searchUrl(slug, { q: "router" }))).body.results.length, 2);
    });

    test("unknown filter values and bad parameters are 422 with the field named", async () => {
      const cases: [Record<string, string>, string][] = [
        [{ q: "router", kind: "rumour" }, "kind"],
        [{ q: "router", status: "closed" }, "status"],
        [{ q: "router", tag: "not a tag!" }, "tag"],
        [{ q: "router", category: "no-such-category" }, "category"],
        [{ q: "router", category: "999999" }, "category"],
        [{ q: "router", limit: "0" }, "limit"],
        [{ q: "router", limit: "51" }, "limit"],
        [{ q: "router", limit: "ten" }, "limit"],
        [{ q: "router", cursor: "%%%" }, "cursor"],
      ];
      for (const [params, field] of cases) {
        const res = await env().api.get(searchUrl(slug, params));
        assert.equal(res.status, 422, JSON.stringify(params));
        assert.equal(res.body.error.code, "validation_failed");
        assert.ok(
          res.body.error.fields[field],
          `${JSON.stringify(params)} names ${field}: ${JSON.stringify(res.body)}`,
        );
      }
      assert.equal((await env().api.get(searchUrl(slug, { q: "router\u0000" }))).status, 422, "NUL");
      for (const limit of ["0", "11", "x"])
        assert.equal(
          (await env().api.get(`/api/v1/communities/${slug}/similar?title=router&limit=${limit}`)).status,
          422,
          limit,
        );
      assert.equal((await env().api.get(searchUrl("no-such-community", { q: "router" }))).status, 404);
    });

    test("the search page answers the same inputs without a 500", async () => {
      for (const q of ["", "a", ...HOSTILE.slice(10, 30)]) {
        const res = await env().app.inject({ method: "GET", url: `/c/${slug}/search?${new URLSearchParams({ q })}` });
        assert.equal(res.statusCode, 200, q);
      }
      assert.equal(
        (await env().app.inject({ method: "GET", url: `/c/${slug}/search?q=router&kind=rumour` })).statusCode,
        422,
      );
    });
  },
  roomyLimits,
);
