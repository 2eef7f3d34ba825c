import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { addMember, buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";

const topicsUrl = (slug: string) => `/api/v1/communities/${slug}/topics`;
const valid = { kind: "question", title: "Router keeps rebooting", body: "Every evening at eight." };
const roomyLimits = { rateLimits: { ...loadConfig({}).rateLimits, post: { max: 1000, windowMs: 60_000 } } };

describeEachDatabase(
  "topics API: posting and reading",
  (env) => {
    test("all four kinds are created with 201, status open and the author", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
      const author = members.member[0];
      for (const kind of ["question", "idea", "problem", "praise"]) {
        const res = await env().api.post(topicsUrl(slug), { ...valid, kind }, author.auth);
        assert.equal(res.status, 201, kind);
        const topic = res.body.topic;
        assert.equal(topic.kind, kind);
        assert.equal(topic.status, "open");
        assert.equal(topic.title, valid.title);
        assert.equal(topic.communityId, community.id);
        assert.deepEqual(topic.author, { id: author.id, name: author.name, handle: author.handle, avatarUrl: null });
        assert.equal(topic.score, 0);
        assert.equal(topic.replyCount, 0);
        assert.equal(topic.acceptedReplyId, null);
        const fetched = await env().api.get(`/api/v1/topics/${topic.id}`);
        assert.equal(fetched.status, 200);
        assert.equal(fetched.body.topic.kind, kind);
        assert.deepEqual(fetched.body.replies, []);
      }
    });

    test("title must be 8-200 characters after trimming", async () => {
      const { slug, admin } = await buildCommunity(env());
      for (const title of ["", "1234567", "   1234567   ", "x".repeat(201)]) {
        const res = await env().api.post(topicsUrl(slug), { ...valid, title }, admin.auth);
        assert.equal(res.status, 422, `title of ${title.length}`);
        assert.equal(res.body.error.code, "validation_failed");
        assert.deepEqual(Object.keys(res.body.error.fields), ["title"]);
      }
      for (const title of ["12345678", "x".repeat(200)]) {
        assert.equal(
          (await env().api.post(topicsUrl(slug), { ...valid, title }, admin.auth)).status,
          201,
          `title of ${title.length}`,
        );
      }
    });

    test("titles are one line: line breaks, control and bidi characters are 422", async () => {
      const { slug, admin } = await buildCommunity(env());
      for (const title of [
        "Router\r\nBcc: everyone@example.test",
        "Router keeps\nrebooting",
        "Invoice \u202egnp.exe",
        "Router \u2066isolated\u2069 text",
        "Router\u0007 beeping all day",
      ]) {
        const res = await env().api.post(topicsUrl(slug), { ...valid, title }, admin.auth);
        assert.equal(res.status, 422, JSON.stringify(title));
        assert.deepEqual(Object.keys(res.body.error.fields), ["title"]);
      }
      assert.equal(
        (await env().api.post(topicsUrl(slug), { ...valid, title: "Routeur: ça redémarre 🙂" }, admin.auth)).status,
        201,
      );
    });

    test("body must be non-empty and at most 50,000 characters", async () => {
      const { slug, admin } = await buildCommunity(env());
      for (const body of ["", "   \n  ", "x".repeat(50_001)]) {
        const res = await env().api.post(topicsUrl(slug), { ...valid, body }, admin.auth);
        assert.equal(res.status, 422, `body of ${body.length}`);
        assert.deepEqual(Object.keys(res.body.error.fields), ["body"]);
      }
      const missing = await env().api.post(topicsUrl(slug), { kind: "idea", title: valid.title }, admin.auth);
      assert.equal(missing.status, 422);
      assert.ok(missing.body.error.fields.body);
      assert.equal(
        (await env().api.post(topicsUrl(slug), { ...valid, body: "x".repeat(50_000) }, admin.auth)).status,
        201,
      );
    });

    test("an unknown or missing kind is 422", async () => {
      const { slug, admin } = await buildCommunity(env());
      for (const kind of ["complaint", "", undefined, 1]) {
        const res = await env().api.post(topicsUrl(slug), { ...valid, kind }, admin.auth);
        assert.equal(res.status, 422, String(kind));
        assert.deepEqual(Object.keys(res.body.error.fields), ["kind"]);
      }
    });

    test("a category must exist in this community", async () => {
      const { slug, admin, categories } = await buildCommunity(env(), { categories: ["Internet", "TV"] });
      const other = await buildCommunity(env(), { categories: ["Elsewhere"] });
      const ok = await env().api.post(topicsUrl(slug), { ...valid, categoryId: categories[1].id }, admin.auth);
      assert.equal(ok.status, 201);
      assert.deepEqual(ok.body.topic.category, { id: categories[1].id, slug: "tv", name: "TV" });
      for (const categoryId of [other.categories[0].id, 987654]) {
        const res = await env().api.post(
          topicsUrl(slug),
          { ...valid, title: "Must not be written", categoryId },
          admin.auth,
        );
        assert.equal(res.status, 422, `category ${categoryId}`);
        assert.ok(res.body.error.fields.categoryId);
      }
      const written = await env()
        .deps.db.selectFrom("topics")
        .select("id")
        .where("title", "=", "Must not be written")
        .execute();
      assert.deepEqual(written, []);
    });

    test("tags are trimmed, lower-cased and de-duplicated; invalid tags are 422", async () => {
      const { slug, admin } = await buildCommunity(env());
      const res = await env().api.post(
        topicsUrl(slug),
        { ...valid, tags: [" WiFi ", "wifi", "Router", "c++"] },
        admin.auth,
      );
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.topic.tags, ["wifi", "router", "c++"]);
      const stored = await env()
        .deps.db.selectFrom("topicTags")
        .select("tag")
        .where("topicId", "=", res.body.topic.id)
        .orderBy("tag")
        .execute();
      assert.deepEqual(
        stored.map((r) => r.tag),
        ["c++", "router", "wifi"],
      );
      for (const tags of [["two words"], ["a", "b", "c", "d", "e", "f"], ["x".repeat(31)], [""], "wifi"]) {
        const bad = await env().api.post(topicsUrl(slug), { ...valid, tags }, admin.auth);
        assert.equal(bad.status, 422, JSON.stringify(tags));
      }
    });

    test("replies come accepted first, then official (staff and admin) replies, then by score", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), {
        members: { member: 4, staff: 1, moderator: 1 },
      });
      const [asker, a, b, c] = members.member;
      const topic = await buildTopic(env(), slug, asker);
      const low = await buildReply(env(), topic.id, a, "plain, no votes");
      env().clock.advance(1000);
      const byStaff = await buildReply(env(), topic.id, members.staff[0], "staff answer");
      env().clock.advance(1000);
      const popular = await buildReply(env(), topic.id, b, "popular answer");
      env().clock.advance(1000);
      const byModerator = await buildReply(env(), topic.id, members.moderator[0], "moderator answer");
      env().clock.advance(1000);
      const byAdmin = await buildReply(env(), topic.id, admin, "admin answer");
      env().clock.advance(1000);
      const solution = await buildReply(env(), topic.id, c, "the actual fix");
      for (const voter of [asker, a, c])
        await env().api.put(`/api/v1/replies/${popular.id}/vote`, { value: 1 }, voter.auth);
      await env().api.put(`/api/v1/replies/${byModerator.id}/vote`, { value: 1 }, asker.auth);
      await env().api.put(`/api/v1/replies/${solution.id}/vote`, { value: -1 }, a.auth);
      const accept = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: solution.id }, asker.auth);
      assert.equal(accept.status, 200);

      const page = await env().api.get(`/api/v1/topics/${topic.id}`);
      assert.equal(page.status, 200);
      const order = page.body.replies.map((r: { id: number }) => r.id);
      assert.deepEqual(order, [solution.id, byStaff.id, byAdmin.id, popular.id, byModerator.id, low.id]);
      const flags = page.body.replies.map((r: { accepted: boolean; official: boolean; score: number }) => [
        r.accepted,
        r.official,
        r.score,
      ]);
      assert.deepEqual(flags, [
        [true, false, -1],
        [false, true, 0],
        [false, true, 0],
        [false, false, 3],
        [false, false, 1],
        [false, false, 0],
      ]);
      // A platform admin who is not a member also answers officially.
      const platformAdmin = await buildUser(env(), { platformAdmin: true });
      const vendor = await buildReply(env(), topic.id, platformAdmin, "from the platform");
      assert.equal(vendor.official, true);
      assert.equal(typeof community.id, "number");
    });

    test("comments are nested under their reply, oldest first", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, helper, other] = members.member;
      const topic = await buildTopic(env(), slug, asker);
      const first = await buildReply(env(), topic.id, helper, "first");
      const second = await buildReply(env(), topic.id, other, "second");
      const c1 = await env().api.post(`/api/v1/replies/${first.id}/comments`, { body: "Which model?" }, asker.auth);
      assert.equal(c1.status, 201);
      assert.deepEqual(c1.body.comment.author, { id: asker.id, name: asker.name });
      env().clock.advance(1000);
      const c2 = await env().api.post(`/api/v1/replies/${first.id}/comments`, { body: "The **new** one" }, helper.auth);
      assert.equal(c2.status, 201);
      const tooLong = await env().api.post(
        `/api/v1/replies/${first.id}/comments`,
        { body: "x".repeat(2001) },
        helper.auth,
      );
      assert.equal(tooLong.status, 422);
      const page = await env().api.get(`/api/v1/topics/${topic.id}`);
      const byId = new Map(page.body.replies.map((r: { id: number }) => [r.id, r]));
      const comments = (byId.get(first.id) as { comments: { id: number; body: string; bodyHtml: string }[] }).comments;
      assert.deepEqual(
        comments.map((c) => c.id),
        [c1.body.comment.id, c2.body.comment.id],
      );
      assert.match(comments[1].bodyHtml, /<strong>new<\/strong>/);
      assert.deepEqual((byId.get(second.id) as { comments: unknown[] }).comments, []);
      const unknown = await env().api.post("/api/v1/replies/987654/comments", { body: "hello" }, asker.auth);
      assert.equal(unknown.status, 404);
    });

    test("status is derived: open, answered with a reply, solved when accepted, answered again when unaccepted", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker);
      const statusOf = async () => (await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic.status;
      const listed = async (status: string) =>
        (await env().api.get(`${topicsUrl(slug)}?status=${status}`)).body.topics
          .map((t: { id: number }) => t.id)
          .includes(topic.id);
      assert.equal(await statusOf(), "open");
      assert.ok(await listed("open"));
      const reply = await buildReply(env(), topic.id, helper);
      assert.equal(await statusOf(), "answered");
      assert.ok(await listed("answered"));
      assert.ok(!(await listed("open")));
      const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
      assert.equal(accepted.body.status, "solved");
      assert.equal(await statusOf(), "solved");
      assert.ok(await listed("solved"));
      assert.ok(!(await listed("answered")));
      const withdrawn = await env().api.delete(`/api/v1/topics/${topic.id}/accept`, asker.auth);
      assert.equal(withdrawn.status, 200);
      assert.equal(withdrawn.body.status, "answered");
      assert.equal(await statusOf(), "answered");
      assert.ok(await listed("answered"));
      assert.ok(!(await listed("solved")));
    });

    test("a private community's topics are 404 to anonymous visitors and non-members", async () => {
      const { slug, community, members } = await buildCommunity(env(), {
        visibility: "private",
        members: { member: 2 },
      });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker);
      const reply = await buildReply(env(), topic.id, helper);
      const outsider = await buildUser(env());
      for (const auth of [null, outsider.auth]) {
        for (const url of [
          `/api/v1/topics/${topic.id}`,
          `/api/v1/topics/${topic.id}/history`,
          `/api/v1/replies/${reply.id}/history`,
          topicsUrl(slug),
        ]) {
          const res = await env().api.get(url, auth);
          assert.equal(res.status, 404, `${url} as ${auth ? "non-member" : "anonymous"}`);
          assert.equal(res.body.error.code, "not_found");
          assert.doesNotMatch(JSON.stringify(res.body), /How do I reset/);
        }
      }
      const posted = await env().api.post(topicsUrl(slug), valid, outsider.auth);
      assert.equal(posted.status, 404);
      const replied = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "let me in" }, outsider.auth);
      assert.equal(replied.status, 404);
      assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, helper.auth)).status, 200);
      await addMember(env(), community.id, outsider.id, "member");
      assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, outsider.auth)).status, 200);
    });

    test("unknown and malformed topic ids are 404 and 422, never 500", async () => {
      const { admin } = await buildCommunity(env());
      assert.equal((await env().api.get("/api/v1/topics/987654")).status, 404);
      assert.equal((await env().api.post("/api/v1/topics/987654/replies", { body: "hi" }, admin.auth)).status, 404);
      for (const id of ["abc", "0", "-1", "1.5", "99999999999"]) {
        const res = await env().api.get(`/api/v1/topics/${id}`);
        assert.equal(res.status, 422, id);
        assert.ok(res.body.error.fields.id, id);
      }
    });
  },
  roomyLimits,
);
