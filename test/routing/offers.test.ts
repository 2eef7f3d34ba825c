import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, buildHistory, questionsFor, roomyLimits, routedTo } from "./support.ts";

describeEachDatabase(
  "routed offers end with the question or the membership",
  (env) => {
    test("an offer in a category that became staff-only no longer counts against the load", async () => {
      const { slug, admin, categories, members } = await buildCommunity(env(), {
        categories: ["General", "Billing"],
        members: { member: 4 },
      });
      const [asker, top, second, poster] = members.member;
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 1, maxOpen: 1 }, admin.auth);
      await buildHistory(env(), slug, asker, top, ["email"], 3);
      await buildHistory(env(), slug, asker, second, ["email"], 1);
      const offered = await ask(env(), slug, poster, { tags: ["email"], categoryId: categories[1].id });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), offered.id), [top.id]);
      const patched = await env().api.patch(
        `/api/v1/communities/${slug}/categories/${categories[1].id}`,
        { scope: "staff_only" },
        admin.auth,
      );
      assert.equal(patched.status, 200);
      const next = await ask(env(), slug, poster, { tags: ["email"], categoryId: categories[0].id });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), next.id), [top.id], "the top expert holds no open crowd question");
    });

    test("moving, locking or solving a question ends its open offers at once", async () => {
      const { slug, admin, categories, members } = await buildCommunity(env(), {
        categories: ["General", "Billing"],
        members: { member: 3 },
      });
      const [asker, top, poster] = members.member;
      await buildHistory(env(), slug, asker, top, ["email"], 3);
      await env().api.patch(
        `/api/v1/communities/${slug}/categories/${categories[1].id}`,
        { scope: "staff_only" },
        admin.auth,
      );
      const close = {
        moved: (id: number) =>
          env().api.post(`/api/v1/topics/${id}/move`, { categoryId: categories[1].id }, admin.auth),
        locked: (id: number) => env().api.put(`/api/v1/topics/${id}/lock`, {}, admin.auth),
        solved: async (id: number) => {
          const reply = await answer(env(), id, asker);
          return env().api.post(`/api/v1/topics/${id}/accept`, { replyId: reply.id }, poster.auth);
        },
      };
      for (const [how, run] of Object.entries(close)) {
        const offered = await ask(env(), slug, poster, { tags: ["email"], categoryId: categories[0].id });
        await drainJobs(env());
        assert.deepEqual(await routedTo(env(), offered.id), [top.id], how);
        assert.equal((await run(offered.id)).status, 200, how);
        await drainJobs(env());
        assert.deepEqual(await routedTo(env(), offered.id), [], `${how}: the offer ended`);
      }
    });

    test("a member removed from a public community is offered none of its questions any more", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, top, poster] = members.member;
      await buildHistory(env(), slug, asker, top, ["email"], 3);
      const offered = await ask(env(), slug, poster, { tags: ["email"] });
      await drainJobs(env());
      assert.deepEqual(await questionsFor(env(), top), [offered.id]);
      assert.equal((await env().api.delete(`/api/v1/communities/${slug}/members/${top.id}`, admin.auth)).status, 200);
      assert.deepEqual(await questionsFor(env(), top), [], "not in Questions for you");
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), offered.id), [], "the offer ended");
    });

    test("routing statistics refuse a day that does not exist (422, not another day)", async () => {
      const { slug, admin } = await buildCommunity(env());
      const res = await env().api.get(`/api/v1/communities/${slug}/stats/routing?from=2025-02-30`, admin.auth);
      assert.equal(res.status, 422);
      assert.ok(res.body.error.fields.from);
    });
  },
  roomyLimits,
);
