import { test } from "node:test";
import assert from "node:assert/strict";
import { communityAccess } from "../../src/communities/index.ts";
import { join } from "../../src/communities/communities.service.ts";
import { createTopic } from "../../src/topics/topics.posting.ts";
import { lockRows } from "../../src/db/row-locks.ts";
import {
  actorOf,
  backendPid,
  blocksAnotherSession,
  buildCommunity,
  buildUser,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  until,
} from "../helpers.ts";

/** The user's membership role in the community, as stored (null: not a member). */
async function roleOf(env: TestEnv, communityId: number, userId: number) {
  const row = await env.deps.db
    .selectFrom("memberships")
    .select("role")
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

const question = { kind: "question", title: "How do I reset my router?", body: "It keeps blinking red.", tags: [] };

/**
 * Taking part makes a member only of a public community (communities.service `ensureMember`),
 * decided when the membership is written: a removal, a ban or a change to private that lands
 * between the checks of a post and its transaction lets nobody in.
 */
describeEachDatabase("memberships written while access changes", (env) => {
  test("a member removed from a private community while posting does not get back in", async () => {
    const { community, slug, members } = await buildCommunity(env(), {
      visibility: "private",
      members: { member: 1, moderator: 1 },
    });
    const [target] = members.member;
    const access = await communityAccess(env().deps, { slug }, actorOf(target));
    const remove = async () => {
      const res = await env().api.delete(`/api/v1/communities/${slug}/members/${target.id}`, members.moderator[0].auth);
      assert.equal(res.status, 200);
    };
    await createTopic(openingTransactionAfter(env().deps, remove), access, question as never);
    assert.equal(await roleOf(env(), community.id, target.id), null);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, target.auth)).status, 404);
  });

  test("a member banned from a public community while posting is not made a member again", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [target] = members.member;
    const access = await communityAccess(env().deps, { slug }, actorOf(target));
    const ban = async () => {
      const res = await env().api.put(
        `/api/v1/communities/${slug}/members/${target.id}/ban`,
        { reason: "Spam" },
        members.moderator[0].auth,
      );
      assert.equal(res.status, 200);
    };
    await createTopic(openingTransactionAfter(env().deps, ban), access, question as never);
    assert.equal(await roleOf(env(), community.id, target.id), null);
  });

  test("joining with access loaded before the community was made private is refused", async () => {
    const { community, slug, admin } = await buildCommunity(env());
    const outsider = await buildUser(env());
    const access = await communityAccess(env().deps, { slug }, actorOf(outsider));
    const made = await env().api.patch(`/api/v1/communities/${slug}`, { visibility: "private" }, admin.auth);
    assert.equal(made.status, 200);
    await assert.rejects(join(env().deps, access), (error: { status?: number }) => error.status === 403);
    assert.equal(await roleOf(env(), community.id, outsider.id), null);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, outsider.auth)).status, 404);
  });

  test("public communities still make a member of whoever takes part; private ones keep theirs", async () => {
    const open = await buildCommunity(env());
    const newcomer = await buildUser(env());
    const posted = await env().api.post(`/api/v1/communities/${open.slug}/topics`, question, newcomer.auth);
    assert.equal(posted.status, 201);
    assert.equal(await roleOf(env(), open.community.id, newcomer.id), "member");
    assert.equal(
      (await env().api.post(`/api/v1/communities/${open.slug}/join`, {}, newcomer.auth)).body.role,
      "member",
    );
    const closed = await buildCommunity(env(), { visibility: "private", members: { staff: 1 } });
    const [staff] = closed.members.staff;
    const res = await env().api.post(`/api/v1/communities/${closed.slug}/topics`, question, staff.auth);
    assert.equal(res.status, 201);
    assert.equal(await roleOf(env(), closed.community.id, staff.id), "staff");
  });
});

describeEachDatabase("a join while a ban is being written", (env) => {
  test("waits for the ban and is refused", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { community, slug, members } = await buildCommunity(env(), { members: { moderator: 1 } });
    const outsider = await buildUser(env());
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let started!: (pid: number) => void;
    const banning = new Promise<number>((resolve) => {
      started = resolve;
    });
    // The ban as moderation.removal.ts writes it: under the community's row, not yet committed.
    const ban = env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await lockRows({ db: trx, dialect: "postgres" }, "communities", [community.id]);
        await trx
          .deleteFrom("memberships")
          .where("communityId", "=", community.id)
          .where("userId", "=", outsider.id)
          .execute();
        await trx
          .insertInto("communityBans")
          .values({
            communityId: community.id,
            userId: outsider.id,
            bannedBy: members.moderator[0].id,
            reason: "Spam",
            createdAt: env().clock.now(),
          })
          .execute();
        started(await backendPid(trx));
        await committing;
      });
    const holder = await banning;
    const joining = env().api.post(`/api/v1/communities/${slug}/join`, {}, outsider.auth);
    await until("the join to wait on the ban", () => blocksAnotherSession(env(), holder));
    commit();
    await ban;
    const joined = await joining;
    assert.equal(joined.status, 403, JSON.stringify(joined.body));
    assert.equal(await roleOf(env(), community.id, outsider.id), null, "no membership for a banned user");
  });
});
