import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestUser } from "../helpers.ts";
import { DAY } from "./support.ts";

describeEachDatabase("voting ring: a changed vote", (env) => {
  const vote = (replyId: number, user: TestUser, value: number) =>
    env().api.put(`/api/v1/replies/${replyId}/vote`, { value }, user.auth);
  const votedAt = async (replyId: number, user: TestUser) =>
    (
      await env()
        .deps.db.selectFrom("votes")
        .select("createdAt")
        .where("userId", "=", user.id)
        .where("targetType", "=", "reply")
        .where("targetId", "=", replyId)
        .executeTakeFirstOrThrow()
    ).createdAt;

  test("an old downvote turned into an upvote counts toward the ring limit from when it changed", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, friend] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await buildReply(env(), topic.id, friend, `Reply ${i} from the friend`));
    assert.equal((await vote(replies[0].id, asker, -1)).status, 200);
    env().clock.advance(8 * DAY);

    const changedAt = env().clock.now();
    assert.equal((await vote(replies[0].id, asker, 1)).status, 200, "the change itself is the first upvote");
    assert.equal(Number(await votedAt(replies[0].id, asker)), changedAt, "the changed vote dates from its change");
    env().clock.advance(DAY);
    assert.equal((await vote(replies[0].id, asker, 1)).status, 200);
    assert.equal(Number(await votedAt(replies[0].id, asker)), changedAt, "the same vote again keeps its date");
    for (const reply of replies.slice(1, 5)) assert.equal((await vote(reply.id, asker, 1)).status, 200);

    const sixth = await vote(replies[5].id, asker, 1);
    assert.equal(sixth.status, 403, "the changed vote is one of the 5 upvotes of the week");
    assert.match(sixth.body.error.message, /voting rings/);
  });
});
