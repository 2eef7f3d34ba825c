import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { assertTotalsMatchLedger, totals } from "./support.ts";

const HOUR = 3_600_000;

// Two acceptances at once whose answerers are swapped: topic A moves its solution from X's reply to
// Y's while topic B moves its from Y's to X's. Each writes ledger entries for both members.
describeEachDatabase("reputation: acceptances with swapped answerers at the same time", (env) => {
  test("neither deadlocks, and the ledger stays whole", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, x, y] = members.member;
    const accept = (topicId: number, replyId: number) =>
      env().api.post(`/api/v1/topics/${topicId}/accept`, { replyId }, asker.auth);
    const rounds = 30;
    for (let round = 0; round < rounds; round++) {
      env().clock.advance(HOUR); // past the posting rate limits
      const a = await buildTopic(env(), slug, asker, { title: `Router question A number ${round}` });
      const b = await buildTopic(env(), slug, asker, { title: `Router question B number ${round}` });
      const answer = (topicId: number, by: typeof x, name: string) =>
        buildReply(env(), topicId, by, `Answer ${name} for round ${round}: try setting ${round} of the router`);
      const [ax, ay, bx, by] = [
        await answer(a.id, x, "ax"),
        await answer(a.id, y, "ay"),
        await answer(b.id, x, "bx"),
        await answer(b.id, y, "by"),
      ];
      assert.equal((await accept(a.id, ax.id)).status, 200);
      assert.equal((await accept(b.id, by.id)).status, 200);
      const swapped = await Promise.all([accept(a.id, ay.id), accept(b.id, bx.id)]);
      assert.deepEqual(
        swapped.map((r) => r.status),
        [200, 200],
        `round ${round}: ${JSON.stringify(swapped.map((r) => r.body))}`,
      );
    }
    assert.equal((await totals(env(), community.id, x.id)).kudos, 15 * rounds);
    assert.equal((await totals(env(), community.id, y.id)).kudos, 15 * rounds);
    await assertTotalsMatchLedger(env(), community.id);
  });
});
