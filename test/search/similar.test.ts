import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { postFillers, postIndexed, roomyLimits } from "./support.ts";
import { setKudos } from "../reputation/support.ts";
import { communityAccess } from "../../src/communities/communities.access.ts";
import { indexTopic } from "../../src/search/search.index.ts";
import { similarTopics } from "../../src/search/similar.ts";

const similar = (env: TestEnv, slug: string, params: Record<string, string>, auth: { token: string } | null = null) =>
  env.api.get(`/api/v1/communities/${slug}/similar?${new URLSearchParams(params)}`, auth);

const ids = (body: { topic: { id: number } | null }[]) => body.map((s) => s.topic?.id);

describeEachDatabase(
  "similar questions and duplicates",
  (env) => {
    test("finds paraphrases, leaves unrelated topics out, returns the topic list's fields", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const abroad = await postIndexed(env(), slug, asker, helper, {
        title: "Cannot send SMS messages abroad",
        body: "Texts fail in Spain since Monday.",
      });
      const roaming = await postIndexed(env(), slug, asker, helper, {
        title: "SMS not sending while roaming",
        body: "Outgoing texts stay pending.",
      });
      const billing = await postIndexed(env(), slug, asker, helper, {
        title: "How to change my billing address",
        body: "I moved house.",
      });
      await postIndexed(env(), slug, asker, helper, { title: "Voicemail PIN reset", body: "Forgot my PIN." });
      await postFillers(env(), slug, asker, helper);
      const res = await similar(env(), slug, {
        title: "SMS won't send when I'm abroad",
        body: "My texts fail while travelling",
      });
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(res.body));
      assert.deepEqual(ids(res.body).slice(0, 2).sort(), [abroad.id, roaming.id].sort());
      assert.equal(res.body[0].topic.id, abroad.id, "the closer paraphrase first");
      assert.ok(!ids(res.body).includes(billing.id), "unrelated topics stay out");
      assert.ok(res.body[0].score >= res.body[1].score);
      const list = await env().api.get(`/api/v1/communities/${slug}/topics`);
      assert.deepEqual(
        res.body[0].topic,
        list.body.topics.find((t: any) => t.id === abroad.id),
      );
      assert.deepEqual(await similar(env(), slug, { title: "" }).then((r) => r.body), []);
      assert.deepEqual(await similar(env(), slug, { title: "the and of" }).then((r) => r.body), []);
    });

    test("at most 5 by default, limit up to 10", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      for (let i = 0; i < 12; i++)
        await postIndexed(env(), slug, asker, helper, { title: `Roaming charges on my bill, case ${i}` });
      assert.equal((await similar(env(), slug, { title: "roaming charges bill" })).body.length, 5);
      assert.equal((await similar(env(), slug, { title: "roaming charges bill", limit: "2" })).body.length, 2);
      assert.equal((await similar(env(), slug, { title: "roaming charges bill", limit: "10" })).body.length, 10);
    });

    test("solved topics come first when relevance is close", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      // The solved one is older: without the boost the newer one would lead on a tie.
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "Hotspot tethering disabled on my plan",
        replies: ["Ask for the add-on."],
        accept: 0,
      });
      const open = await postIndexed(env(), slug, asker, helper, { title: "Hotspot tethering disabled on my plan" });
      const res = await similar(env(), slug, { title: "Hotspot tethering disabled" });
      assert.deepEqual(ids(res.body), [solved.id, open.id]);
      assert.equal(res.body[0].topic.status, "solved");
    });

    test("a moderator marks a duplicate: followers merge, suggestions drop it, the banner query finds the original", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 4, moderator: 1 } });
      const [asker, helper, follower, both] = members.member;
      const [moderator] = members.moderator;
      const original = await postIndexed(env(), slug, asker, helper, { title: "Landline crackling noise on calls" });
      const copy = await postIndexed(env(), slug, helper, asker, { title: "Crackling noise on my landline calls" });
      await env().api.put(`/api/v1/topics/${original.id}/follow`, {}, both.auth);
      await env().api.put(`/api/v1/topics/${copy.id}/follow`, {}, both.auth);
      await env().api.put(`/api/v1/topics/${copy.id}/follow`, {}, follower.auth);
      const before = await similar(env(), slug, { title: "crackling noise landline" });
      assert.deepEqual(ids(before.body).sort(), [original.id, copy.id].sort());

      const res = await env().api.post(`/api/v1/topics/${copy.id}/duplicate`, { of: original.id }, moderator.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.duplicateOf.id, original.id);
      assert.equal(res.body.duplicateOf.url, `/c/${slug}/t/${original.id}`);
      assert.equal(res.body.original.followerCount, 2, "both followers once");
      const topic = await env().api.get(`/api/v1/topics/${original.id}`);
      assert.equal(topic.body.topic.followerCount, 2);
      const followers = await env()
        .deps.db.selectFrom("follows")
        .select("userId")
        .where("topicId", "=", original.id)
        .execute();
      assert.deepEqual(followers.map((f) => f.userId).sort(), [follower.id, both.id].sort());

      const after = await similar(env(), slug, { title: "crackling noise landline" });
      assert.deepEqual(ids(after.body), [original.id], "the duplicate is no longer suggested");
      assert.deepEqual(
        (await env().api.get(`/api/v1/topics/${copy.id}/duplicate`)).body.duplicateOf,
        res.body.duplicateOf,
      );
      assert.equal((await env().api.get(`/api/v1/topics/${original.id}/duplicate`)).body.duplicateOf, null);
      const search = await env().api.get(`/api/v1/communities/${slug}/search?q=crackling`);
      assert.equal(
        search.body.results.find((r: any) => r.topic.id === copy.id).duplicateOf,
        original.id,
        "search still finds it, marked",
      );
      // An original the reader may not see is not named in the copy's search result.
      const hide = (on: boolean) =>
        env().api.post(`/api/v1/posts/topic/${original.id}/${on ? "hide" : "restore"}`, {}, moderator.auth);
      assert.equal((await hide(true)).status, 200);
      const hiddenOriginal = await env().api.get(`/api/v1/communities/${slug}/search?q=crackling`);
      assert.equal(hiddenOriginal.body.results.find((r: any) => r.topic.id === copy.id).duplicateOf, null);
      assert.equal((await hide(false)).status, 200);

      assert.equal((await env().api.delete(`/api/v1/topics/${copy.id}/duplicate`, moderator.auth)).status, 200);
      assert.equal((await similar(env(), slug, { title: "crackling noise landline" })).body.length, 2);
      assert.ok(community.id > 0);
    });

    test("more hidden candidates than the first rows read: the visible one still comes", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
      const [asker, helper] = members.member;
      const original = await postIndexed(env(), slug, asker, helper, { title: "Roaming charges" });
      // Twelve closer titles, all duplicates: more than the ten rows a one-result query reads first.
      for (let i = 0; i < 12; i++) {
        const copy = await postIndexed(env(), slug, asker, helper, { title: `Roaming charges on my bill, case ${i}` });
        const marked = await env().api.post(
          `/api/v1/topics/${copy.id}/duplicate`,
          { of: original.id },
          members.moderator[0].auth,
        );
        assert.equal(marked.status, 200);
      }
      assert.deepEqual(ids((await similar(env(), slug, { title: "roaming charges bill", limit: "1" })).body), [
        original.id,
      ]);
    });

    test("an edited title is ranked by its new words and trigrams, as a fresh start ranks it", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postFillers(env(), slug, asker, helper);
      const topic = await postIndexed(env(), slug, asker, helper, { title: "Voicemail greeting lost" });
      const ask = { title: "Voicemail greeting recording fails" };
      const before = (await similar(env(), slug, ask)).body;
      assert.equal(before[0].topic.id, topic.id);
      const edit = await env().api.patch(
        `/api/v1/topics/${topic.id}`,
        { title: "Voicemail greeting recording fails" },
        asker.auth,
      );
      assert.equal(edit.status, 200);
      await indexTopic(env().deps, topic.id);
      const after = (await similar(env(), slug, ask)).body;
      // A handle of its own starts with empty memory: it reads every card and posting anew.
      const fresh = { ...env().deps, db: env().deps.db.withTables<Record<never, never>>() };
      const access = await communityAccess(fresh, { slug }, null);
      const [first] = await similarTopics(fresh, access, ask);
      assert.equal(after[0].topic.id, topic.id);
      assert.ok(after[0].score > before[0].score, "the same title now");
      assert.equal(after[0].score, first.score);
    });

    test("duplicate rules: who may, and what is refused", async () => {
      const { slug, community, members, admin } = await buildCommunity(env(), {
        members: { member: 2, staff: 1, moderator: 1 },
      });
      const other = await buildCommunity(env(), { members: { member: 1 } });
      const [asker, helper] = members.member;
      const a = await postIndexed(env(), slug, asker, helper, { title: "Question number one here" });
      const b = await postIndexed(env(), slug, asker, helper, { title: "Question number two here" });
      const c = await postIndexed(env(), slug, asker, helper, { title: "Question number three here" });
      const foreign = await postIndexed(env(), other.slug, other.members.member[0], other.members.member[0], {
        title: "Elsewhere question here",
      });
      const mark = (id: number, of: unknown, auth: { token: string } | null) =>
        env().api.post(`/api/v1/topics/${id}/duplicate`, { of }, auth);
      assert.equal((await mark(b.id, a.id, null)).status, 401);
      assert.equal((await mark(b.id, a.id, asker.auth)).status, 403, "the asker");
      assert.equal((await mark(b.id, a.id, members.staff[0].auth)).status, 403, "staff");
      // A member earns the privilege with kudos (500 by default).
      await setKudos(env(), community.id, helper.id, 499);
      assert.equal((await mark(b.id, a.id, helper.auth)).status, 403, "499 kudos");
      await setKudos(env(), community.id, helper.id, 500);
      assert.equal((await mark(b.id, a.id, helper.auth)).status, 200, "500 kudos");
      assert.equal((await env().api.delete(`/api/v1/topics/${b.id}/duplicate`, helper.auth)).status, 200);
      assert.equal((await mark(b.id, b.id, members.moderator[0].auth)).status, 422, "itself");
      const cross = await mark(b.id, foreign.id, members.moderator[0].auth);
      assert.equal(cross.status, 422, "another community");
      assert.ok(cross.body.error.fields.of);
      assert.equal((await mark(b.id, 2_000_000_000, members.moderator[0].auth)).status, 422, "missing topic");
      assert.equal((await mark(b.id, "x", members.moderator[0].auth)).status, 422, "not an id");
      assert.equal((await mark(999_999_999, a.id, members.moderator[0].auth)).status, 404, "missing duplicate");
      // A chain resolves to the original; a loop is refused.
      assert.equal((await mark(b.id, a.id, admin.auth)).status, 200, "admin");
      const chained = await mark(c.id, b.id, members.moderator[0].auth);
      assert.equal(chained.body.duplicateOf.id, a.id);
      assert.equal((await mark(a.id, c.id, members.moderator[0].auth)).status, 422, "a loop");
      // Private community: outsiders cannot even find the topic.
      const secret = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
      const s1 = await postIndexed(env(), secret.slug, secret.members.member[0], secret.members.member[0], {
        title: "Private question one",
      });
      const s2 = await postIndexed(env(), secret.slug, secret.members.member[0], secret.members.member[0], {
        title: "Private question two",
      });
      const outsider = await buildUser(env());
      assert.equal((await mark(s2.id, s1.id, outsider.auth)).status, 404);
      assert.equal((await env().api.get(`/api/v1/topics/${s2.id}/duplicate`, outsider.auth)).status, 404);
      assert.ok(community.id);
    });
  },
  roomyLimits,
);
