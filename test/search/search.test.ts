import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { ensureIndexed } from "../../src/search/search.index.ts";
import { addMember, buildCommunity, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { postIndexed, roomyLimits, searchUrl, setLocale, titles } from "./support.ts";
import { drainJobs } from "../notifications/support.ts";

describeEachDatabase(
  "search: ranking, filters, snippets, pagination",
  (env) => {
    test("title match ranks above body match above reply-only match", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      // Posted in reverse order, so the id tie-break (newest first) cannot produce the expected order.
      await postIndexed(env(), slug, asker, helper, {
        title: "Phone question three",
        body: "Nothing special.",
        replies: ["Check the voicemail settings."],
      });
      await postIndexed(env(), slug, asker, helper, {
        title: "Phone question two",
        body: "My voicemail greeting resets every day.",
      });
      await postIndexed(env(), slug, asker, helper, {
        title: "Voicemail greeting not saving",
        body: "Details follow.",
      });
      await postIndexed(env(), slug, asker, helper, { title: "Unrelated billing topic", body: "Invoice is wrong." });
      const res = await env().api.get(searchUrl(slug, { q: "voicemail" }));
      assert.equal(res.status, 200);
      assert.deepEqual(titles(res.body), [
        "Voicemail greeting not saving",
        "Phone question two",
        "Phone question three",
      ]);
      assert.ok(res.body.results.every((r: any) => r.type === "topic" && typeof r.score === "number"));
      assert.ok(
        res.body.results[0].score > res.body.results[1].score && res.body.results[1].score > res.body.results[2].score,
      );
    });

    test("solved topics are boosted, and the accepted answer outranks other replies", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      // Same text; the solved one is older, so it only wins through the boost.
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "Roaming data stopped abroad",
        body: "No data in France.",
        replies: ["Toggle the switch in settings."],
        accept: 0,
      });
      const open = await postIndexed(env(), slug, asker, helper, {
        title: "Roaming data stopped abroad",
        body: "No data in France.",
        replies: ["Toggle the switch in settings."],
      });
      const res = await env().api.get(searchUrl(slug, { q: "roaming data" }));
      assert.deepEqual(
        res.body.results.map((r: any) => r.topic.id),
        [solved.id, open.id],
      );
      assert.equal(res.body.results[0].topic.status, "solved");

      const answered = await postIndexed(env(), slug, asker, helper, {
        title: "Question alpha",
        body: "Text.",
        replies: ["Enable wificalling in the menu."],
        accept: 0,
      });
      const replied = await postIndexed(env(), slug, asker, helper, {
        title: "Question beta",
        body: "Text.",
        replies: ["Enable wificalling in the menu.", "Other idea."],
      });
      const byAnswer = await env().api.get(searchUrl(slug, { q: "wificalling" }));
      assert.deepEqual(
        byAnswer.body.results.map((r: any) => r.topic.id),
        [answered.id, replied.id],
      );
    });

    test("results carry the topic list's fields, status and reply count", async () => {
      const { slug, members, categories } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const posted = await postIndexed(env(), slug, asker, helper, {
        title: "Esim activation fails",
        body: "QR code rejected.",
        tags: ["esim"],
        categoryId: categories[0].id,
        replies: ["Try again.", "Restart."],
      });
      const [list, found] = await Promise.all([
        env().api.get(`/api/v1/communities/${slug}/topics`),
        env().api.get(searchUrl(slug, { q: "esim" })),
      ]);
      const fromList = list.body.topics.find((t: any) => t.id === posted.id);
      assert.deepEqual(found.body.results[0].topic, fromList);
      assert.equal(found.body.results[0].topic.replyCount, 2);
      assert.equal(found.body.results[0].topic.status, "answered");
      assert.deepEqual(found.body.results[0].topic.tags, ["esim"]);
    });

    test("filters: kind, status, tag, category; status is live, not a stale copy", async () => {
      const { slug, members, categories } = await buildCommunity(env(), {
        categories: ["Mobile", "Internet"],
        members: { member: 2 },
      });
      const [asker, helper] = members.member;
      const [mobile, internet] = categories;
      const idea = await postIndexed(env(), slug, asker, helper, {
        kind: "idea",
        title: "Modem idea: a night mode",
        tags: ["modem"],
        categoryId: internet.id,
      });
      const open = await postIndexed(env(), slug, asker, helper, {
        title: "Modem question open",
        tags: ["router"],
        categoryId: mobile.id,
      });
      const answered = await postIndexed(env(), slug, asker, helper, {
        title: "Modem question answered",
        categoryId: internet.id,
        replies: ["Maybe."],
      });
      const solved = await postIndexed(env(), slug, asker, helper, {
        kind: "problem",
        title: "Modem problem solved",
        tags: ["modem"],
        replies: ["Yes."],
        accept: 0,
      });
      const ids = async (params: Record<string, string>) => {
        const res = await env().api.get(searchUrl(slug, { q: "modem", ...params }));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.results.map((r: any) => r.topic.id).sort((a: number, b: number) => a - b);
      };
      assert.deepEqual(await ids({}), [idea.id, open.id, answered.id, solved.id]);
      assert.deepEqual(await ids({ kind: "idea" }), [idea.id]);
      assert.deepEqual(await ids({ kind: "problem" }), [solved.id]);
      assert.deepEqual(await ids({ status: "open" }), [idea.id, open.id]);
      assert.deepEqual(await ids({ status: "answered" }), [answered.id]);
      assert.deepEqual(await ids({ status: "solved" }), [solved.id]);
      assert.deepEqual(await ids({ tag: "modem" }), [idea.id, solved.id]);
      assert.deepEqual(await ids({ category: "internet" }), [idea.id, answered.id]);
      assert.deepEqual(await ids({ category: String(mobile.id) }), [open.id]);
      assert.deepEqual(await ids({ kind: "question", status: "answered", category: "internet" }), [answered.id]);
      assert.deepEqual(
        await ids({ kind: "", status: "" }),
        [idea.id, open.id, answered.id, solved.id],
        "empty filters mean any",
      );
      // Accepting an answer without re-indexing still moves the topic between status filters.
      await env().api.post(`/api/v1/topics/${answered.id}/accept`, { replyId: answered.replyIds[0] }, asker.auth);
      assert.deepEqual(await ids({ status: "solved" }), [answered.id, solved.id]);
    });

    test("snippets highlight matches and never let user HTML through", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postIndexed(env(), slug, asker, helper, {
        title: "Strange <img src=x onerror=alert(1)> title",
        body: 'Before <script>alert("x")</script> the <b>tethering</b> option &amp; "quotes" \u0002 after.',
      });
      await postIndexed(env(), slug, asker, helper, {
        title: "Reply holds it",
        body: "Nothing.",
        replies: ["You can enable tethering under Network."],
      });
      const res = await env().api.get(searchUrl(slug, { q: "tethering" }));
      assert.equal(res.body.results.length, 2);
      for (const { snippet } of res.body.results) {
        assert.match(snippet, /<mark>tethering<\/mark>/i);
        const withoutMarks = snippet.replace(/<\/?mark>/g, "");
        assert.ok(!/[<>]/.test(withoutMarks), `only <mark> is markup: ${snippet}`);
        assert.ok(!snippet.includes("\u0002"), "markers never leak");
        assert.equal((snippet.match(/<mark>/g) ?? []).length, (snippet.match(/<\/mark>/g) ?? []).length, "balanced");
      }
      const reply = res.body.results.find((r: any) => r.topic.title === "Reply holds it");
      assert.match(reply.snippet, /Network/, "a reply-only match shows the reply passage");
    });

    test("one snippet per hit: the body's passage, else the accepted answer's, else another reply's", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postIndexed(env(), slug, asker, helper, {
        title: "Body holds it",
        body: "The splitter cable is loose.",
        replies: ["Replace the splitter, accepted.", "A splitter from the shop."],
        accept: 0,
      });
      await postIndexed(env(), slug, asker, helper, {
        title: "Accepted answer holds it",
        body: "Nothing works.",
        replies: ["Another splitter idea here.", "Swap the splitter for the new model."],
        accept: 1,
      });
      await postIndexed(env(), slug, asker, helper, {
        title: "Only a reply holds it",
        body: "No idea at all.",
        replies: ["Maybe the splitter is old."],
      });
      await postIndexed(env(), slug, asker, helper, { title: "Splitter in the title only", body: "Short body." });
      const res = await env().api.get(searchUrl(slug, { q: "splitter" }));
      const snippet = (title: string) => res.body.results.find((r: any) => r.topic.title === title).snippet;
      assert.equal(snippet("Body holds it"), "The <mark>splitter</mark> cable is loose.");
      assert.equal(snippet("Accepted answer holds it"), "Swap the <mark>splitter</mark> for the new model.");
      assert.match(snippet("Only a reply holds it"), /Maybe the <mark>splitter<\/mark> is old/);
      assert.equal(
        snippet("Splitter in the title only"),
        "Short body.",
        "no match in the texts: the start of the body",
      );
    });

    test("pagination walks every result once, then stops; a bad cursor is a 422", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const posted = [];
      for (let i = 0; i < 7; i++)
        posted.push((await postIndexed(env(), slug, asker, helper, { title: `Sim card issue number ${i}` })).id);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const params: Record<string, string> = { q: "sim card", limit: "3", ...(cursor ? { cursor } : {}) };
        const res = await env().api.get(searchUrl(slug, params));
        assert.equal(res.status, 200);
        seen.push(...res.body.results.map((r: any) => r.topic.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual([...seen].sort(), [...posted].sort());
      assert.equal((await env().api.get(searchUrl(slug, { q: "sim", cursor: "not-a-cursor" }))).status, 422);
      assert.equal(
        (await env().api.get(searchUrl(slug, { q: "sim", cursor: Buffer.from('[5000,"all"]').toString("base64url") })))
          .status,
        422,
      );
    });

    test("topics holding every word come first, then those holding some (and says which)", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      // Issue #17: any-word matches are ranked after all-word matches instead of only being a
      // fallback when nothing matches every word. The partial match is the better BM25 match
      // for "fibre" (short title, word repeated), so only the all-words tier puts it second.
      const both = await postIndexed(env(), slug, asker, helper, {
        title: "Outage in Berlin, fibre line down",
        body: "The fibre line in Berlin is down.",
      });
      const partial = await postIndexed(env(), slug, asker, helper, {
        title: "Fibre fibre",
        body: "Fibre contract question about fibre.",
      });
      await postIndexed(env(), slug, asker, helper, { title: "Unrelated billing topic", body: "Invoice is wrong." });
      const all = await env().api.get(searchUrl(slug, { q: "fibre berlin" }));
      assert.deepEqual(
        all.body.results.map((r: any) => r.topic.id),
        [both.id, partial.id],
      );
      assert.equal(all.body.match, "all");
      const any = await env().api.get(searchUrl(slug, { q: "fibre hamburg" }));
      assert.deepEqual(
        any.body.results.map((r: any) => r.topic.id),
        [partial.id, both.id],
        "nothing holds both words: ranked by relevance",
      );
      assert.equal(any.body.match, "any");
    });

    test("stemming follows the community's language", async () => {
      const cases = [
        { locale: "de", title: "Rechnungen doppelt abgebucht", q: "Rechnung" },
        { locale: "de", title: "Meine Rechnung ist falsch", q: "Rechnungen" },
        { locale: "de", title: "Neue Verträge ab Januar", q: "Vertrag" },
        { locale: "fr", title: "Mes factures sont fausses", q: "facture" },
        { locale: "it", title: "Le bollette sono sbagliate", q: "bolletta" },
        { locale: "en", title: "Billing cycles changed", q: "billing cycle" },
      ];
      for (const c of cases) {
        const { slug, community, members } = await buildCommunity(env(), { members: { member: 2 } });
        await setLocale(env(), community.id, c.locale);
        const [asker, helper] = members.member;
        await postIndexed(env(), slug, asker, helper, { title: c.title, body: "…" });
        await postIndexed(env(), slug, asker, helper, { title: "Something else entirely", body: "…" });
        const res = await env().api.get(searchUrl(slug, { q: c.q }));
        assert.deepEqual(titles(res.body), [c.title], `${c.locale}: "${c.q}" finds "${c.title}"`);
      }
    });

    test("private communities: 404 for outsiders; their topics never show elsewhere", async () => {
      const secret = await buildCommunity(env(), { visibility: "private", members: { member: 2 } });
      const open = await buildCommunity(env(), { members: { member: 2 } });
      await postIndexed(env(), secret.slug, secret.members.member[0], secret.members.member[1], {
        title: "Zebra modem secret plans",
      });
      await postIndexed(env(), open.slug, open.members.member[0], open.members.member[1], {
        title: "Zebra modem public notes",
      });
      const outsider = await buildUser(env());
      assert.equal((await env().api.get(searchUrl(secret.slug, { q: "zebra" }))).status, 404);
      const refused = await env().api.get(searchUrl(secret.slug, { q: "zebra" }), outsider.auth);
      assert.equal(refused.status, 404);
      assert.equal(refused.body.error.code, "not_found");
      assert.equal(
        (await env().api.get(`/api/v1/communities/${secret.slug}/similar?title=zebra+modem`, outsider.auth)).status,
        404,
      );
      const member = await env().api.get(searchUrl(secret.slug, { q: "zebra" }), secret.members.member[0].auth);
      assert.deepEqual(titles(member.body), ["Zebra modem secret plans"]);
      await addMember(env(), open.community.id, secret.members.member[0].id, "member");
      for (const auth of [null, outsider.auth, secret.members.member[0].auth]) {
        const res = await env().api.get(searchUrl(open.slug, { q: "zebra secret" }), auth);
        assert.ok(!titles(res.body).includes("Zebra modem secret plans"));
        const similar = await env().api.get(
          `/api/v1/communities/${open.slug}/similar?title=${encodeURIComponent("Zebra modem secret plans")}`,
          auth,
        );
        assert.ok(similar.body.every((s: any) => s.topic.communityId === open.community.id));
      }
    });

    test("topics of private categories reach only their asker and staff, in search and suggestions", async () => {
      const { slug, community, admin, categories, members } = await buildCommunity(env(), {
        categories: ["Billing", "General"],
        members: { member: 3, staff: 1 },
      });
      const [asker, helper, other] = members.member;
      await env()
        .deps.db.updateTable("categories")
        .set({ scope: "private" })
        .where("id", "=", categories[0].id)
        .execute();
      const secret = await postIndexed(env(), slug, asker, helper, {
        title: "Refund for my account number 12345",
        categoryId: categories[0].id,
      });
      const open = await postIndexed(env(), slug, asker, helper, {
        title: "Refund rules in general",
        categoryId: categories[1].id,
      });
      const found = async (auth: { token: string } | null) => {
        const res = await env().api.get(searchUrl(slug, { q: "refund" }), auth);
        const similar = await env().api.get(
          `/api/v1/communities/${slug}/similar?title=${encodeURIComponent("refund for my account")}`,
          auth,
        );
        return {
          search: res.body.results.map((r: any) => r.topic.id).sort(),
          similar: similar.body.map((r: any) => r.topic.id).sort(),
        };
      };
      const everything = { search: [secret.id, open.id].sort(), similar: [secret.id, open.id].sort() };
      assert.deepEqual(await found(null), { search: [open.id], similar: [open.id] });
      assert.deepEqual(await found(other.auth), { search: [open.id], similar: [open.id] });
      assert.deepEqual(await found(asker.auth), everything, "the asker");
      assert.deepEqual(await found(members.staff[0].auth), everything, "staff");
      assert.deepEqual(await found(admin.auth), everything, "admin");
      assert.ok(community.id);
    });

    test("the index follows edits and removals", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const posted = await postIndexed(env(), slug, asker, helper, { title: "Porting my number in" });
      // The edit use case re-indexes the topic as soon as it commits.
      assert.equal(
        (await env().api.patch(`/api/v1/topics/${posted.id}`, { title: "Transferring my number in" }, asker.auth))
          .status,
        200,
      );
      assert.equal((await env().api.get(searchUrl(slug, { q: "transferring" }))).body.results.length, 1);
      assert.equal((await env().api.get(searchUrl(slug, { q: "porting" }))).body.results.length, 0);
      await env().deps.db.deleteFrom("topics").where("id", "=", posted.id).execute();
      assert.equal(
        (await env().api.get(searchUrl(slug, { q: "transferring" }))).body.results.length,
        0,
        "a deleted topic leaves the index",
      );
    });

    test("a bulk index refreshes PostgreSQL's statistics of the index tables", async () => {
      const { db, dialect } = env().deps;
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
      for (const title of ["Roaming in Norway", "Voicemail greeting"])
        await buildTopic(env(), slug, members.member[0], { title, body: "Details follow." });
      const analyzed = async () => {
        if (dialect !== "postgres") return [];
        const { rows } = await sql<{ relname: string }>`select relname from pg_stat_user_tables
          where schemaname = current_schema() and relname like 'search_%' and last_analyze is not null
          order by relname`.execute(db);
        return rows.map((row) => row.relname);
      };
      assert.deepEqual(await analyzed(), [], "topics posted one by one are indexed without it");
      assert.equal(await ensureIndexed(env().deps, { communityId: community.id }), 2);
      assert.deepEqual(
        await analyzed(),
        dialect === "postgres"
          ? ["search_documents", "search_postings", "search_stats", "search_terms", "search_texts"]
          : [],
      );
      assert.equal((await env().api.get(searchUrl(slug, { q: "voicemail" }))).body.results.length, 1);
    });

    // After the test above: this re-index refreshes the planner's statistics, which it expects not yet done.
    test("an admin changing the community's language re-indexes it: its topics are still found", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postIndexed(env(), slug, asker, helper, { title: "Configuring connections on the modem", body: "…" });
      const found = async () => titles((await env().api.get(searchUrl(slug, { q: "configuring connections" }))).body);
      assert.deepEqual(await found(), ["Configuring connections on the modem"]);
      const changed = await env().api.patch(`/api/v1/communities/${slug}`, { locale: "fr" }, admin.auth);
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      await drainJobs(env());
      assert.deepEqual(await found(), ["Configuring connections on the modem"], "stemmed the French way on both sides");
    });
  },
  roomyLimits,
);
