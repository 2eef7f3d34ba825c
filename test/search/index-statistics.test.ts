import { test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/database.ts";
import { ensureIndexed, indexArticle, indexTopic, removeFromIndex } from "../../src/search/search.index.ts";
import { corpusStats } from "../../src/search/search.memory.ts";
import { buildCommunity, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { postIndexed, roomyLimits } from "./support.ts";

/**
 * The statistics BM25F reads (documents, summed field lengths, document frequencies) are kept by
 * deltas as documents are indexed, edited and removed: after any history they must be what a
 * from-scratch rebuild of the same topics and articles computes, row for row.
 */
async function statistics(db: Db, communityId: number) {
  const totals = await db
    .selectFrom("searchStats")
    .select(["docs", "lenTitle", "lenTags", "lenBody", "lenAccepted", "lenReplies"])
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  const terms = await db
    .selectFrom("searchTerms")
    .select(["term", "df"])
    .where("communityId", "=", communityId)
    .orderBy("term")
    .execute();
  return {
    totals: Object.fromEntries(Object.entries(totals ?? {}).map(([k, v]) => [k, Number(v)])),
    df: terms.map((t) => `${t.term} ${Number(t.df)}`),
  };
}

/** The same statistics counted from the documents and postings the index holds now. */
async function recount(db: Db, communityId: number) {
  const docs = await db
    .selectFrom("searchDocuments")
    .select(["lenTitle", "lenTags", "lenBody", "lenAccepted", "lenReplies"])
    .where("communityId", "=", communityId)
    .execute();
  const totals = { docs: docs.length, lenTitle: 0, lenTags: 0, lenBody: 0, lenAccepted: 0, lenReplies: 0 };
  for (const doc of docs) for (const [k, v] of Object.entries(doc)) totals[k as keyof typeof doc] += Number(v);
  const terms = await db
    .selectFrom("searchPostings")
    .select((eb) => ["term", eb.fn.countAll<number>().as("df")])
    .where("communityId", "=", communityId)
    .groupBy("term")
    .orderBy("term")
    .execute();
  return { totals, df: terms.map((t) => `${t.term} ${Number(t.df)}`) };
}

/** Empties the community's index and indexes its topics and articles anew. */
async function rebuild(env: TestEnv, communityId: number) {
  const { db } = env.deps;
  await db.deleteFrom("searchDocuments").where("communityId", "=", communityId).execute();
  await db.deleteFrom("searchTerms").where("communityId", "=", communityId).execute();
  await db.deleteFrom("searchStats").where("communityId", "=", communityId).execute();
  await ensureIndexed(env.deps, { communityId });
}

describeEachDatabase(
  "search index statistics",
  (env) => {
    test("indexing, edits, removals and re-indexing leave the statistics a rebuild computes", async () => {
      const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const { db } = env().deps;
      const router = await postIndexed(env(), slug, asker, helper, {
        title: "Router keeps blinking red",
        body: "The router blinks red after the storm, router reset did nothing.",
        tags: ["router", "outage"],
        replies: ["Hold the router reset button for thirty seconds.", "Same here since Monday."],
        accept: 0,
      });
      const voicemail = await postIndexed(env(), slug, asker, helper, {
        title: "Voicemail greeting resets itself",
        body: "Every week the voicemail greeting is gone.",
        replies: ["Save the greeting in the app."],
      });
      const invoice = await postIndexed(env(), slug, asker, helper, { title: "Invoice copy request" });
      const created = await env().api.post(
        `/api/v1/communities/${slug}/articles`,
        { title: "Router lights explained", body: "Red means no line; blinking green means syncing." },
        admin.auth,
      );
      assert.equal(created.status, 201);
      const articleId = created.body.article.id as number;
      const check = async (step: string) => {
        assert.deepEqual(await statistics(db, community.id), await recount(db, community.id), step);
      };
      await check("indexed");

      // Warm the in-memory document frequencies, then change the words they count.
      const words = ["router", "red", "modem", "voicemail", "greet", "invoic"];
      await corpusStats(db, community.id, words);
      await db
        .updateTable("topics")
        .set({ title: "Modem keeps blinking green", bodyHtml: "<p>The modem blinks green.</p>" })
        .where("id", "=", router.id)
        .execute();
      await indexTopic(env().deps, router.id);
      await check("edited");
      await removeFromIndex(env().deps, voicemail.id);
      await removeFromIndex(env().deps, voicemail.id);
      await check("removed (twice)");
      await removeFromIndex(env().deps, router.id);
      await indexTopic(env().deps, router.id);
      await indexTopic(env().deps, router.id);
      await check("removed and indexed again (twice)");
      await db.updateTable("articles").set({ title: "Modem lights explained" }).where("id", "=", articleId).execute();
      await indexArticle(env().deps, articleId);
      await removeFromIndex(env().deps, invoice.id);
      await check("article edited, another topic removed");
      const memory = await corpusStats(db, community.id, words);

      const kept = await statistics(db, community.id);
      await indexTopic(env().deps, voicemail.id);
      await indexTopic(env().deps, invoice.id);
      const back = await statistics(db, community.id);
      await rebuild(env(), community.id);
      assert.deepEqual(back, await statistics(db, community.id), "every topic back: as a rebuild computes");
      await removeFromIndex(env().deps, voicemail.id);
      await removeFromIndex(env().deps, invoice.id);
      assert.deepEqual(await statistics(db, community.id), kept, "removed again: as before the rebuild");

      // What ranking reads from memory is the index as it is now, not as it was when warmed.
      const now = await recount(db, community.id);
      assert.equal(memory.docs, now.totals.docs);
      for (const word of words) {
        const row = now.df.find((line) => line.startsWith(`${word} `));
        assert.equal(memory.df.get(word), row ? Number(row.split(" ")[1]) : undefined, word);
      }
    });
  },
  roomyLimits,
);
