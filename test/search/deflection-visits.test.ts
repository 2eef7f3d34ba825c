import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { DEFLECTION_WINDOW_MS, recordDeflectionEvent } from "../../src/search/deflection.service.ts";
import { issueDeflectionToken } from "../../src/search/deflection.token.ts";
import { postIndexed, roomyLimits } from "./support.ts";

async function deflected(env: TestEnv, slug: string, admin: TestUser, range: { from: string; to: string }) {
  const res = await env.api.get(
    `/api/v1/communities/${slug}/stats/deflection?${new URLSearchParams(range)}`,
    admin.auth,
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return {
    total: res.body.totals.deflected,
    byDay: Object.fromEntries(res.body.days.map((d: { date: string; deflected: number }) => [d.date, d.deflected])),
  };
}

describeEachDatabase(
  "deflected visits",
  (env) => {
    test("one token counts as one deflected contact, whatever visit ids are sent with it", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await postIndexed(env(), slug, asker, helper, { title: "Printer jams on page two" });
      env().clock.set(Date.UTC(2026, 5, 2, 9));
      const suggestions = { communityId: community.id, kind: "suggestions", items: [{ topicId: topic.id }] } as const;
      const shown = async (query: string) =>
        issueDeflectionToken(env().deps.db, { ...suggestions, query }, env().clock.now());
      const open = (token: string, visitId: string) =>
        env().api.post(`/api/v1/communities/${slug}/deflection-events`, {
          type: "suggestion_opened",
          visitId,
          token,
          topicId: topic.id,
        });

      const echoed = await shown("printer jams");
      const first = await open(echoed, "visit-first0001");
      assert.equal(first.status, 201, JSON.stringify(first.body));
      for (const madeUp of ["visit-madeup001", "visit-madeup002", "visit-madeup003"]) {
        const again = await open(echoed, madeUp);
        assert.deepEqual([again.status, again.body], [first.status, first.body], "answered as the first was");
      }
      assert.equal((await open(await shown("printer jams again"), "visit-second001")).status, 201);

      env().clock.advance(DEFLECTION_WINDOW_MS + 1);
      const counted = await deflected(env(), slug, admin, { from: "2026-06-02", to: "2026-06-02" });
      assert.equal(counted.total, 2, "one per token: the echoes with made-up visit ids add nothing");
    });

    test("a member's opens without a visit id count once a day, on each day apart", async () => {
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await postIndexed(env(), slug, asker, helper, { title: "Roaming stops after midnight" });
      const openAt = async (at: number) => {
        env().clock.set(at);
        await recordDeflectionEvent(env().deps, {
          communityId: community.id,
          type: "suggestion_opened",
          visitId: null,
          userId: helper.id,
          topicId: topic.id,
        });
      };
      await openAt(Date.UTC(2026, 5, 1, 9));
      await openAt(Date.UTC(2026, 5, 1, 15));
      await openAt(Date.UTC(2026, 5, 5, 9));
      env().clock.set(Date.UTC(2026, 5, 6, 12));

      const counted = await deflected(env(), slug, admin, { from: "2026-06-01", to: "2026-06-05" });
      assert.equal(counted.total, 2, "Monday and Friday apart, Monday's two opens once");
      assert.equal(counted.byDay["2026-06-01"], 1);
      assert.equal(counted.byDay["2026-06-05"], 1);
      // Friday's visit began on Friday: asked from Friday alone, it is there too.
      assert.equal((await deflected(env(), slug, admin, { from: "2026-06-05", to: "2026-06-05" })).total, 1);
    });
  },
  roomyLimits,
);
