import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { assertTotalsMatchLedger, DAY, patchSettings, totals } from "./support.ts";

describeEachDatabase("reputation: the same vote sent again", (env) => {
  test("earns nothing anew, even past the daily cap's day; a changed vote still counts", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [author, first, second] = members.member;
    await patchSettings(env(), slug, admin, "reputation", { dailyVoteCap: 10 });
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author);
    const vote = async (by: typeof author, value: number) => {
      const res = await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value }, by.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const kudos = async () => (await totals(env(), community.id, author.id)).kudos;
    const ledgerRows = () =>
      env().deps.db.selectFrom("kudosEvents").select("id").where("communityId", "=", community.id).execute();

    await vote(first, 1);
    await vote(second, 1);
    assert.equal(await kudos(), 10, "the second upvote is capped");
    const rowsBefore = (await ledgerRows()).length;

    env().clock.advance(DAY);
    assert.deepEqual(await vote(second, 1), { score: 2, value: 1 });
    assert.deepEqual(await vote(first, 1), { score: 2, value: 1 });
    assert.equal(await kudos(), 10, "a repeated vote does not earn again");
    assert.equal((await ledgerRows()).length, rowsBefore, "nor writes ledger rows");

    await vote(first, -1);
    assert.equal(await kudos(), -2, "up to down: the 10 reversed, the downvote's -2 recorded");
    await vote(first, 0);
    assert.equal(await kudos(), 0);
    await assertTotalsMatchLedger(env(), community.id);
  });
});
