import { test } from "node:test";
import assert from "node:assert/strict";
import { setIdeaStatus } from "../../src/ideas/ideas.service.ts";
import {
  actorOf,
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";

const idea = (env: TestEnv, slug: string, author: TestUser, title: string) =>
  buildTopic(env, slug, author, { kind: "idea", title });

const recorded = async (env: TestEnv, topicId: number) => ({
  statuses: await env.deps.db.selectFrom("ideaStatuses").select("status").where("topicId", "=", topicId).execute(),
  changes: await env.deps.db.selectFrom("ideaStatusChanges").select("id").where("topicId", "=", topicId).execute(),
});

/** The refusal a status change on a gone idea gets: a conflict, explained in the reader's language on a form. */
const goneConflict = (error: any) => {
  assert.equal(error.status, 409);
  assert.equal(error.code, "conflict");
  assert.equal(error.explanation?.key, "idea.topicGone");
  return true;
};

describeEachDatabase("an idea's status set while the idea is merged or deleted", (env) => {
  test("a merge committed between reading the idea and writing its status refuses the status (409)", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1, moderator: 1 } });
    const [author] = members.member;
    const [staff] = members.staff;
    const [mod] = members.moderator;
    const source = await idea(env(), slug, author, "Share mobile data between family plans");
    const into = await idea(env(), slug, author, "Family plans with shared data");
    const deps = openingTransactionAfter(env().deps, async () =>
      assert.equal(
        (await env().api.post(`/api/v1/topics/${source.id}/merge`, { intoTopicId: into.id }, mod.auth)).status,
        200,
      ),
    );
    await assert.rejects(
      setIdeaStatus(deps, source.id, actorOf(staff), { status: "planned", note: "Coming in May" }),
      goneConflict,
    );
    assert.deepEqual(await recorded(env(), source.id), { statuses: [], changes: [] }, "nothing written on the source");
    await drainJobs(env());
    const notifications = (await env().api.get("/api/v1/notifications", author.auth)).body.notifications;
    assert.deepEqual(
      notifications.filter((n: any) => n.kind === "idea_status"),
      [],
      "the author hears of no status",
    );
    // The idea it was merged into takes a status as ever.
    const target = await env().api.put(`/api/v1/topics/${into.id}/idea-status`, { status: "planned" }, staff.auth);
    assert.equal(target.status, 200);
  });

  test("a deletion committed meanwhile refuses it too", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [staff] = members.staff;
    const gone = await idea(env(), slug, members.member[0], "Dark mode for the TV guide");
    const deps = openingTransactionAfter(env().deps, () =>
      env().deps.db.updateTable("topics").set({ moderationState: "deleted" }).where("id", "=", gone.id).execute(),
    );
    await assert.rejects(
      setIdeaStatus(deps, gone.id, actorOf(staff), { status: "done", note: undefined }),
      goneConflict,
    );
    assert.deepEqual(await recorded(env(), gone.id), { statuses: [], changes: [] });
  });
});
