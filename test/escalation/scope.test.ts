import { before, test } from "node:test";
import assert from "node:assert/strict";
import { indexTopic } from "../../src/search/search.index.ts";
import { buildCommunity, describeEachDatabase, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { openSse } from "../live/sse-client.ts";
import { answer, ask, roomyLimits, unique } from "../routing/support.ts";
import { configureCategory } from "./support.ts";

describeEachDatabase(
  "scope policies and expectations",
  (env) => {
    async function scoped() {
      const built = await buildCommunity(env(), {
        categories: ["Internet", "Contracts", "Billing"],
        members: { member: 3, staff: 1 },
      });
      const [internet, contracts, billing] = built.categories;
      await configureCategory(env(), built.slug, built.admin, internet.id, {
        expectation: "The community usually answers within 4 hours.",
      });
      await configureCategory(env(), built.slug, built.admin, contracts.id, { scope: "staff_only" });
      await configureCategory(env(), built.slug, built.admin, billing.id, {
        scope: "private",
        expectation: "Our billing team answers within one working day.",
      });
      const [asker, other, mentioned] = built.members.member;
      return { ...built, internet, contracts, billing, asker, other, mentioned, staff: built.members.staff[0] };
    }

    test("category settings: admins set who answers, the expectation and the deadlines; everyone reads them", async () => {
      const { slug, admin, internet, billing, asker, staff } = await scoped();
      const url = `/api/v1/communities/${slug}/categories/${internet.id}`;
      assert.equal((await env().api.patch(url, { scope: "private" }, staff.auth)).status, 403);
      assert.equal((await env().api.patch(url, { scope: "everyone" }, admin.auth)).status, 422);
      assert.equal((await env().api.patch(url, { firstResponseMinutes: 0 }, admin.auth)).status, 422);
      assert.equal(
        (await env().api.patch(`/api/v1/communities/${slug}/categories/999999`, { scope: "crowd" }, admin.auth)).status,
        404,
      );
      const set = await env().api.patch(url, { firstResponseMinutes: 240, resolutionMinutes: 2880 }, admin.auth);
      assert.equal(set.status, 200);
      const listed = (await env().api.get(`/api/v1/communities/${slug}/categories`, asker.auth)).body.categories;
      const byId = (id: number) => listed.find((c: { id: number }) => c.id === id);
      assert.deepEqual(
        [
          byId(internet.id).scope,
          byId(internet.id).expectation,
          byId(internet.id).firstResponseMinutes,
          byId(internet.id).resolutionMinutes,
        ],
        ["crowd", "The community usually answers within 4 hours.", 240, 2880],
      );
      assert.equal(byId(billing.id).scope, "private");
      const created = await env().api.post(
        `/api/v1/communities/${slug}/categories`,
        { name: "Roaming", scope: "staff_only", firstResponseMinutes: 60 },
        admin.auth,
      );
      assert.deepEqual(
        [
          created.body.category.scope,
          created.body.category.firstResponseMinutes,
          created.body.category.resolutionMinutes,
        ],
        ["staff_only", 60, null],
      );
    });

    test("staff-only: members cannot reply or comment (403), staff and the asker can", async () => {
      const { slug, contracts, asker, other, staff } = await scoped();
      const topic = await ask(env(), slug, asker, { categoryId: contracts.id });
      const refused = await env().api.post(
        `/api/v1/topics/${topic.id}/replies`,
        { body: unique("I think you can") },
        other.auth,
      );
      assert.deepEqual([refused.status, refused.body.error.code], [403, "forbidden"]);
      const official = await answer(env(), topic.id, staff);
      assert.equal(official.official, true);
      await answer(env(), topic.id, asker);
      assert.equal(
        (await env().api.post(`/api/v1/replies/${official.id}/comments`, { body: unique("Me too") }, other.auth))
          .status,
        403,
      );
      assert.equal(
        (await env().api.post(`/api/v1/replies/${official.id}/comments`, { body: unique("Thanks") }, asker.auth))
          .status,
        201,
      );
      const asOther = await env().api.get(`/api/v1/topics/${topic.id}`, other.auth);
      assert.equal(asOther.status, 200, "staff-only topics stay readable");
      assert.equal(asOther.body.topic.scope, "staff_only");
      assert.equal(asOther.body.topic.abilities.reply, false);
      assert.equal(asOther.body.replies[0].abilities.comment, false);
      assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, staff.auth)).body.topic.abilities.reply, true);
      assert.doesNotMatch((await getPage(env(), topic.url, other)).body, /id="reply-form-title"/);
    });

    // Private topics: one test per place a topic could show up.
    let fixture: Awaited<ReturnType<typeof scoped>> & { topicId: number; url: string };
    before(async () => {
      const built = await scoped();
      const topic = await ask(env(), built.slug, built.asker, {
        categoryId: built.billing.id,
        title: "Refund for the double charge on invoice",
        body: `My account number is 4711, please check @${built.mentioned.handle} and @${built.staff.handle}.`,
      });
      await indexTopic(env().deps, topic.id);
      fixture = { ...built, topicId: topic.id, url: topic.url };
    });
    const canSee = (user: TestUser | null) => [fixture.asker, fixture.staff, fixture.admin].includes(user as TestUser);

    test("private: the topic API answers 404 to other members and visitors", async () => {
      for (const user of [fixture.asker, fixture.staff, fixture.admin, fixture.other, null]) {
        const res = await env().api.get(`/api/v1/topics/${fixture.topicId}`, user?.auth ?? null);
        assert.equal(res.status, canSee(user) ? 200 : 404, user?.name ?? "anonymous");
      }
      assert.equal(
        (
          await env().api.post(
            `/api/v1/topics/${fixture.topicId}/replies`,
            { body: unique("Peek") },
            fixture.other.auth,
          )
        ).status,
        404,
      );
      assert.equal((await env().api.get(`/api/v1/topics/${fixture.topicId}/history`, fixture.other.auth)).status, 404);
    });

    test("private: left out of the topic list (API and page) for everyone but the asker and staff", async () => {
      for (const user of [fixture.asker, fixture.staff, fixture.other, null]) {
        const list = await env().api.get(`/api/v1/communities/${fixture.slug}/topics`, user?.auth ?? null);
        assert.equal(
          list.body.topics.some((t: { id: number }) => t.id === fixture.topicId),
          canSee(user),
          user?.name ?? "anonymous",
        );
        const filtered = await env().api.get(
          `/api/v1/communities/${fixture.slug}/topics?category=${fixture.billing.id}`,
          user?.auth ?? null,
        );
        assert.equal(filtered.body.topics.length, canSee(user) ? 1 : 0);
        const page = await getPage(env(), `/c/${fixture.slug}`, user);
        assert.equal(page.body.includes("Refund for the double charge"), canSee(user));
      }
    });

    test("private: the asker's profile lists the topic only for the asker and staff", async () => {
      for (const user of [fixture.asker, fixture.staff, fixture.other, null]) {
        const profile = await env().api.get(
          `/api/v1/communities/${fixture.slug}/members/${fixture.asker.id}/profile`,
          user?.auth ?? null,
        );
        assert.equal(profile.status, 200);
        assert.equal(
          JSON.stringify(profile.body).includes("Refund for the double charge"),
          canSee(user),
          user?.name ?? "anonymous",
        );
      }
    });

    test("private: the topic page is 404 for other members", async () => {
      assert.equal((await getPage(env(), fixture.url, fixture.other)).status, 404);
      assert.equal((await getPage(env(), fixture.url)).status, 404);
      const own = await getPage(env(), fixture.url, fixture.asker);
      assert.equal(own.status, 200);
      assert.match(
        own.body,
        /Private: only you and our staff see this topic\. Our billing team answers within one working day\./,
      );
    });

    test("private: search finds it only for the asker and staff", async () => {
      for (const user of [fixture.asker, fixture.staff, fixture.other, null]) {
        const res = await env().api.get(
          `/api/v1/communities/${fixture.slug}/search?q=refund+double+charge`,
          user?.auth ?? null,
        );
        assert.equal(res.status, 200);
        assert.equal(
          res.body.results.some((r: { topic: { id: number } | null }) => r.topic?.id === fixture.topicId),
          canSee(user),
          user?.name ?? "anonymous",
        );
      }
      assert.ok(
        !(await getPage(env(), `/c/${fixture.slug}/search?q=refund`, fixture.other)).body.includes(
          "Refund for the double charge",
        ),
      );
    });

    test("private: never suggested as a similar question to others", async () => {
      for (const user of [fixture.asker, fixture.other]) {
        const res = await env().api.get(
          `/api/v1/communities/${fixture.slug}/similar?title=${encodeURIComponent("Refund for a double charge")}`,
          user.auth,
        );
        assert.equal(res.status, 200);
        const items = Array.isArray(res.body) ? res.body : (res.body.items ?? res.body.results ?? res.body.similar);
        assert.equal(
          items.some((i: { topic: { id: number } | null }) => i.topic?.id === fixture.topicId),
          canSee(user),
          user.name,
        );
      }
    });

    test("private: a mention notifies only those who may see it; replies notify the asker", async () => {
      await answer(env(), fixture.topicId, fixture.staff);
      await drainJobs(env());
      const kinds = async (user: TestUser) =>
        (
          (await env().api.get("/api/v1/notifications", user.auth)).body.notifications as {
            topicId: number;
            kind: string;
          }[]
        )
          .filter((n) => n.topicId === fixture.topicId)
          .map((n) => n.kind);
      assert.deepEqual(await kinds(fixture.mentioned), [], "a member mentioned in a private topic is not told");
      assert.deepEqual(await kinds(fixture.staff), ["mention"]);
      assert.deepEqual(await kinds(fixture.asker), ["reply"]);
    });

    test("private: the live stream of the topic is refused to other members", async () => {
      const base = await env().app.listen({ port: 0, host: "127.0.0.1" });
      const refused = await openSse(`${base}/api/v1/events?topic=${fixture.topicId}`, {
        authorization: `Bearer ${fixture.other.auth.token}`,
      });
      assert.equal(refused.status, 404);
      refused.close();
      const own = await openSse(`${base}/api/v1/events?topic=${fixture.topicId}`, {
        authorization: `Bearer ${fixture.asker.auth.token}`,
      });
      try {
        assert.equal(own.status, 200);
        await own.waitFor((e) => e.type === "ready");
        await answer(env(), fixture.topicId, fixture.staff);
        assert.equal((await own.waitFor((e) => e.type === "reply")).data.topicId, fixture.topicId);
      } finally {
        own.close();
      }
    });

    test("the new-topic form shows each category's expectation and who answers, and warns against posting personal data", async () => {
      const { slug, asker } = await scoped();
      const form = await getPage(env(), `/c/${slug}/new`, asker);
      assert.equal(form.status, 200);
      assert.match(form.body, /<h2 id="expectations-title">What to expect<\/h2>/);
      assert.match(form.body, /<strong>Internet<\/strong>: The community usually answers within 4 hours\./);
      assert.match(form.body, /<strong>Contracts<\/strong>: Answered by our staff\./);
      assert.match(
        form.body,
        /<strong>Billing<\/strong>: Private: only you and our staff see what you post there\. Our billing team answers within one working day\./,
      );
      assert.match(form.body, /Never post passwords, card or account numbers/);
      assert.match(
        (await getPage(env(), `/c/${slug}/new`, asker, { "accept-language": "it" })).body,
        /Cosa aspettarsi/,
      );
    });

    test("the topic shows its expectation", async () => {
      const { slug, internet, asker, other } = await scoped();
      const topic = await ask(env(), slug, asker, { categoryId: internet.id });
      assert.match(
        (await getPage(env(), topic.url, other)).body,
        /<p class="notice expectation" role="note">The community usually answers within 4 hours\.<\/p>/,
      );
      assert.equal(
        (await env().api.get(`/api/v1/topics/${topic.id}`, other.auth)).body.topic.expectation,
        "The community usually answers within 4 hours.",
      );
    });
  },
  roomyLimits,
);
