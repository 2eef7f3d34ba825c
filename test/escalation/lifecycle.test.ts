import { test } from "node:test";
import assert from "node:assert/strict";
import { indexTopic } from "../../src/search/search.index.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { answer, ask, roomyLimits, unique } from "../routing/support.ts";
import { statusOf } from "./support.ts";

const DAY = 86_400_000;

describeEachDatabase(
  "topic lifecycle",
  (env) => {
    test("abandoned: no accepted solution and not a word from the asker for 14 days after a reply", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, helper, responsive] = members.member;
      const silent = await ask(env(), slug, asker);
      const talking = await ask(env(), slug, responsive);
      const unanswered = await ask(env(), slug, asker);
      await answer(env(), silent.id, helper);
      const reply = await answer(env(), talking.id, helper);
      env().clock.advance(13 * DAY);
      const comment = await env().api.post(
        `/api/v1/replies/${reply.id}/comments`,
        { body: unique("Tried it, still blinking") },
        responsive.auth,
      );
      assert.equal(comment.status, 201);
      await drainJobs(env());
      assert.equal(await statusOf(env(), silent.id, asker), "answered");
      env().clock.advance(DAY);
      await drainJobs(env());
      assert.equal(await statusOf(env(), silent.id, asker), "abandoned");
      assert.equal(await statusOf(env(), talking.id, responsive), "answered", "the asker spoke up after the reply");
      assert.equal(await statusOf(env(), unanswered.id, asker), "open", "nobody replied: not abandoned, just open");
      const abandonedList = await env().api.get(`/api/v1/communities/${slug}/topics?status=abandoned`, asker.auth);
      assert.deepEqual(
        abandonedList.body.topics.map((t: { id: number }) => t.id),
        [silent.id],
      );
      // A new reply revives it; 14 more silent days abandon it again.
      await answer(env(), silent.id, responsive);
      assert.equal(await statusOf(env(), silent.id, asker), "answered");
      env().clock.advance(14 * DAY);
      await drainJobs(env());
      assert.equal(await statusOf(env(), silent.id, asker), "abandoned");
      assert.equal(
        await statusOf(env(), talking.id, responsive),
        "answered",
        "the asker had the last word: the crowd owes the next step",
      );
    });

    test("every status is exposed in the API and filterable in the list, the search and the list page", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const word = `zebrafinch${Date.now() % 1000}`;
      const open = await ask(env(), slug, asker, { title: unique(`Open ${word} question`) });
      const answered = await ask(env(), slug, asker, { title: unique(`Answered ${word} question`) });
      const solved = await ask(env(), slug, asker, { title: unique(`Solved ${word} question`) });
      const escalated = await ask(env(), slug, asker, { title: unique(`Escalated ${word} question`) });
      const abandoned = await ask(env(), slug, asker, { title: unique(`Abandoned ${word} question`) });
      await answer(env(), answered.id, helper);
      const solution = await answer(env(), solved.id, helper);
      await env().api.post(`/api/v1/topics/${solved.id}/accept`, { replyId: solution.id }, asker.auth);
      await env().api.post(`/api/v1/topics/${escalated.id}/escalate`, {}, staff.auth);
      await answer(env(), abandoned.id, helper);
      env().clock.advance(13 * DAY);
      await answer(env(), answered.id, asker); // the asker keeps this one alive
      env().clock.advance(DAY);
      await drainJobs(env());
      const expected: Record<string, number> = {
        open: open.id,
        answered: answered.id,
        solved: solved.id,
        escalated: escalated.id,
        abandoned: abandoned.id,
      };
      for (const [status, id] of Object.entries(expected)) {
        assert.equal(await statusOf(env(), id, asker), status);
        const list = await env().api.get(`/api/v1/communities/${slug}/topics?status=${status}`, asker.auth);
        assert.deepEqual(
          list.body.topics.map((t: { id: number }) => t.id),
          [id],
          `list ?status=${status}`,
        );
        await indexTopic(env().deps, id);
      }
      for (const [status, id] of Object.entries(expected)) {
        const found = await env().api.get(`/api/v1/communities/${slug}/search?q=${word}&status=${status}`, asker.auth);
        assert.deepEqual(
          found.body.results.map((r: { topic: { id: number } }) => r.topic.id),
          [id],
          `search ?status=${status}`,
        );
      }
      assert.equal((await env().api.get(`/api/v1/communities/${slug}/topics?status=closed`, asker.auth)).status, 422);
      const page = await getPage(env(), `/c/${slug}?status=escalated`, asker);
      assert.match(page.body, /<option value="abandoned">Abandoned<\/option>/);
      assert.match(page.body, /<span class="badge warning">Escalated<\/span>/);
      assert.ok(!page.body.includes(`Open ${word}`));
      assert.match(
        (await getPage(env(), `/c/${slug}?status=abandoned`, asker, { "accept-language": "de" })).body,
        /Verwaist/,
      );
    });
  },
  roomyLimits,
);
