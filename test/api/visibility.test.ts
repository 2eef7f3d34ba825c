import { before, test } from "node:test";
import assert from "node:assert/strict";
import {
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestUser,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { openSse } from "../live/sse-client.ts";
import { setKudos } from "../reputation/support.ts";

/**
 * The one visibility rule, applied by every reader of topics and posts (issue: confidential
 * content leaked through duplicates, routing, notifications, the review queue and live streams).
 * For each kind of confidential topic, a viewer who may not see it learns nothing of it: not its
 * page, history, place in lists, search and suggestions, not a notification (old or new), an offer,
 * a duplicate banner, a review item or a live event.
 */
type Kind = "private scope" | "champions only" | "hidden" | "held" | "private community";
const KINDS: Kind[] = ["private scope", "champions only", "hidden", "held", "private community"];

let unique = 0;

describeEachDatabase(
  "one visibility rule for every reader",
  (env) => {
    let base: string;
    before(async () => {
      base = await env().app.listen({ port: 0, host: "127.0.0.1" });
    });

    /** Makes the topic confidential the way the product does (moves and hiding through the API). */
    async function makeConfidential(kind: Kind, world: Awaited<ReturnType<typeof buildWorld>>, topicId: number) {
      const { slug, admin, community, categories } = world.built;
      switch (kind) {
        case "private scope": {
          const res = await env().api.patch(
            `/api/v1/communities/${slug}/categories/${categories[1].id}`,
            { scope: "private" },
            admin.auth,
          );
          assert.equal(res.status, 200, JSON.stringify(res.body));
          return move(world, topicId);
        }
        case "champions only": {
          const url = `/api/v1/communities/${slug}/categories/${categories[1].id}/champions-only`;
          assert.equal((await env().api.put(url, { championsOnly: true }, admin.auth)).status, 200);
          return move(world, topicId);
        }
        case "hidden":
          assert.equal((await env().api.post(`/api/v1/posts/topic/${topicId}/hide`, {}, admin.auth)).status, 200);
          return;
        case "held":
          await env()
            .deps.db.updateTable("topics")
            .set({ moderationState: "pending" })
            .where("id", "=", topicId)
            .execute();
          return;
        case "private community":
          await env()
            .deps.db.updateTable("communities")
            .set({ visibility: "private" })
            .where("id", "=", community.id)
            .execute();
          await env()
            .deps.db.deleteFrom("memberships")
            .where("communityId", "=", community.id)
            .where("userId", "=", world.outsider.id)
            .execute();
          return;
      }
    }

    async function move(world: Awaited<ReturnType<typeof buildWorld>>, topicId: number) {
      const { admin, categories } = world.built;
      const res = await env().api.post(`/api/v1/topics/${topicId}/move`, { categoryId: categories[1].id }, admin.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }

    async function buildWorld() {
      unique += 1;
      const built = await buildCommunity(env(), {
        categories: ["General", "Confidential"],
        members: { member: 2, moderator: 1 },
      });
      const [asker, helper] = built.members.member;
      // The outsider is a member who may mark duplicates (500 kudos) but not review (2,000), and
      // the reviewer may review but is neither staff nor champion.
      const outsider = await buildUser(env(), { name: `Outside Reader${unique}` });
      await addMember(env(), built.community.id, outsider.id, "member");
      await setKudos(env(), built.community.id, outsider.id, 500);
      const reviewer = await buildUser(env(), { name: `Kudos Reviewer${unique}` });
      await addMember(env(), built.community.id, reviewer.id, "member");
      await setKudos(env(), built.community.id, reviewer.id, 2000);
      return { built, asker, helper, outsider, reviewer };
    }

    async function notificationTopics(user: TestUser): Promise<number[]> {
      const res = await env().api.get("/api/v1/notifications?limit=100", user.auth);
      assert.equal(res.status, 200);
      return res.body.notifications.map((n: { topicId: number | null }) => n.topicId);
    }

    for (const kind of KINDS) {
      test(`${kind}: a viewer who may not see the topic learns nothing of it`, async () => {
        const world = await buildWorld();
        const { built, asker, helper, outsider, reviewer } = world;
        const { slug, admin, community } = built;
        const title = `Confidential router firmware ${kind} number${unique}`;
        const topic = await buildTopic(env(), slug, asker, { title, body: "Serial number and account details." });
        const publicTopic = await buildTopic(env(), slug, helper, { title: "Which router firmware is current?" });
        // Before: the outsider follows it, was notified about it, and was offered it by routing.
        assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, outsider.auth)).status, 200);
        await buildReply(env(), topic.id, helper, "Earlier answer before it became confidential.");
        await env()
          .deps.db.insertInto("topicRoutes")
          .values({ topicId: topic.id, userId: outsider.id, communityId: community.id, round: 0, routedAt: 1 })
          .execute();
        const marked = await env().api.post(`/api/v1/topics/${publicTopic.id}/duplicate`, { of: topic.id }, admin.auth);
        assert.equal(marked.status, 200, JSON.stringify(marked.body));
        await drainJobs(env());
        assert.ok((await notificationTopics(outsider)).includes(topic.id), "notified while it was public");
        const live = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { cookie: outsider.cookie });
        await live.waitFor((e) => e.type === "ready");

        await makeConfidential(kind, world, topic.id);
        // Someone who may read it mentions the outsider, replies (followers) and a reviewer's queue gets it.
        await buildReply(env(), topic.id, admin, `@${outsider.handle} and @${reviewer.handle}, have a look.`);
        await env()
          .deps.db.insertInto("reviewQueue")
          .values({
            communityId: community.id,
            targetType: "topic",
            targetId: topic.id,
            authorId: asker.id,
            reason: "flags",
            details: "{}",
            status: "open",
            createdAt: env().clock.now(),
          })
          .execute();
        await drainJobs(env());

        const leaks: string[] = [];
        const check = (ok: boolean, reader: string) => (ok ? undefined : leaks.push(reader));
        const { auth } = outsider;
        check((await env().api.get(`/api/v1/topics/${topic.id}`, auth)).status === 404, "topic API");
        check((await getPage(env(), `/c/${slug}/t/${topic.id}`, outsider)).status === 404, "topic page");
        check((await env().api.get(`/api/v1/topics/${topic.id}/history`, auth)).status === 404, "history");
        if (kind !== "private community") {
          const list = await env().api.get(`/api/v1/communities/${slug}/topics?limit=100`, auth);
          check(!list.body.topics.some((t: { id: number }) => t.id === topic.id), "topic list");
          const listPage = await getPage(env(), `/c/${slug}`, outsider);
          check(!listPage.body.includes(title), "topic list page");
          const search = await env().api.get(`/api/v1/communities/${slug}/search?q=confidential+firmware`, auth);
          check(!JSON.stringify(search.body).includes(title), "search");
          const similar = await env().api.get(
            `/api/v1/communities/${slug}/similar?title=${encodeURIComponent(title)}`,
            auth,
          );
          check(!JSON.stringify(similar.body).includes(title), "similar questions");
          // Duplicates: a mark made while it was public shows no banner to the outsider now...
          const dup = await env().api.get(`/api/v1/topics/${publicTopic.id}/duplicate`, auth);
          check(dup.status === 200 && dup.body.duplicateOf === null, "duplicate API");
          const dupPage = await getPage(env(), publicTopic.url, outsider);
          check(dupPage.status === 200 && !dupPage.body.includes(title), "duplicate banner");
          // ...and the outsider's own mark gets the answer a missing topic gets.
          const other = await buildTopic(env(), slug, helper, { title: "Another public router question" });
          const mine = await env().api.post(`/api/v1/topics/${other.id}/duplicate`, { of: topic.id }, auth);
          const missing = await env().api.post(`/api/v1/topics/${other.id}/duplicate`, { of: 2_000_000_000 }, auth);
          check(mine.status === 422 && JSON.stringify(mine.body) === JSON.stringify(missing.body), "duplicate marking");
        }
        check(!(await notificationTopics(outsider)).includes(topic.id), "notifications (mention, follower, old)");
        const offers = await env().api.get("/api/v1/me/questions-for-you", auth);
        check(!offers.body.questions.some((q: { topic: { id: number } }) => q.topic.id === topic.id), "routing offers");
        const gone = await live.waitFor((e) => e.type === "gone" || e.type === "reply").catch(() => null);
        live.close();
        check(gone?.type === "gone", "live stream");
        if (kind === "private scope" || kind === "champions only") {
          // Reviewers: the kudos reviewer, and for a private category a moderator who is not staff.
          const reviewers = kind === "private scope" ? [reviewer, built.members.moderator[0]] : [reviewer];
          for (const r of reviewers) {
            const queue = await env().api.get(`/api/v1/communities/${slug}/review-queue?status=open`, r.auth);
            assert.equal(queue.status, 200, JSON.stringify(queue.body));
            check(!JSON.stringify(queue.body).includes(title), `review queue (${r.name})`);
            check(!(await notificationTopics(r)).includes(topic.id), `mention of ${r.name}`);
          }
          // Someone entitled still sees the item: the rule hides, it does not lose.
          const adminQueue = await env().api.get(`/api/v1/communities/${slug}/review-queue?status=open`, admin.auth);
          assert.ok(JSON.stringify(adminQueue.body).includes(title), "the admin's queue has it");
        }
        assert.deepEqual(leaks, [], `readers that leak a ${kind} topic`);
        // The author and the admin still read it (held and hidden: the author and reviewers).
        if (kind !== "private community" && kind !== "champions only")
          assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).status, 200);
        assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, admin.auth)).status, 200);
      });
    }

    test("routing offers a champions-only question only to experts who may read it", async () => {
      const { slug, admin, categories, community, members } = await buildCommunity(env(), {
        categories: ["General", "Lounge"],
        members: { member: 3 },
      });
      const [asker, champion, plain] = members.member;
      const url = `/api/v1/communities/${slug}/categories/${categories[1].id}/champions-only`;
      await env().api.put(url, { championsOnly: true }, admin.auth);
      await env().api.put(
        `/api/v1/communities/${slug}/members/${champion.id}/champion`,
        { champion: true },
        admin.auth,
      );
      await env().api.put(`/api/v1/communities/${slug}/members/${asker.id}/champion`, { champion: true }, admin.auth);
      // Both answered questions about the same subject, so both are experts in it.
      for (const expert of [champion, plain]) {
        const earlier = await buildTopic(env(), slug, asker, { title: `Mesh network roaming drops ${expert.id}` });
        await buildReply(env(), earlier.id, expert, "Mesh network roaming: set the same SSID and channel width.");
      }
      await drainJobs(env());
      const lounge = await buildTopic(env(), slug, asker, {
        title: "Mesh network roaming drops in the beta firmware",
        categoryId: categories[1].id,
      });
      await drainJobs(env());
      const routed = await env()
        .deps.db.selectFrom("topicRoutes")
        .select("userId")
        .where("topicId", "=", lounge.id)
        .execute();
      assert.ok(
        routed.some((r) => r.userId === champion.id),
        `the champion is offered it: ${JSON.stringify(routed)}`,
      );
      assert.ok(!routed.some((r) => r.userId === plain.id), "the plain member is not");
      assert.ok(community.id);
    });
  },
  // Streams re-check access at each heartbeat: short here, so a change with no event of its own
  // (a community made private) is caught within the test's wait.
  { liveHeartbeatMs: 200 },
);
