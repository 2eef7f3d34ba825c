import { before, test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { communityPrivileges } from "../../src/communities/communities.privileges.ts";
import { topicPrivileges } from "../../src/topics/topics.privileges.ts";
import type { Role, Visibility } from "../../src/db/schema.ts";
import { randomToken } from "../../src/lib/crypto.ts";
import {
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type ApiResponse,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";

const ROLES = ["anonymous", "nonMember", "member", "staff", "moderator", "admin", "platformAdmin"] as const;
type Who = (typeof ROLES)[number];

/**
 * The expected status of every action for every role, written out by hand (not derived from the
 * code under test). Columns: anonymous, non-member (logged in), member, staff, moderator, admin,
 * platform admin. "Other's" means a post by another member; accept is on another member's question.
 */
const EXPECTED: Record<
  Visibility,
  Record<Action, readonly [number, number, number, number, number, number, number]>
> = {
  public: {
    view: [200, 200, 200, 200, 200, 200, 200],
    listTopics: [200, 200, 200, 200, 200, 200, 200],
    createTopic: [401, 201, 201, 201, 201, 201, 201],
    reply: [401, 201, 201, 201, 201, 201, 201],
    comment: [401, 201, 201, 201, 201, 201, 201],
    voteTopic: [401, 200, 200, 200, 200, 200, 200],
    voteReply: [401, 200, 200, 200, 200, 200, 200],
    editOthersTopic: [401, 403, 403, 403, 200, 200, 200],
    editOthersReply: [401, 403, 403, 403, 200, 200, 200],
    acceptOnOthers: [401, 403, 403, 200, 200, 200, 200],
    follow: [401, 200, 200, 200, 200, 200, 200],
    createCategory: [401, 403, 403, 403, 403, 201, 201],
    setRole: [401, 403, 403, 403, 403, 200, 200],
    createCommunity: [401, 403, 403, 403, 403, 403, 201],
  },
  private: {
    view: [404, 404, 200, 200, 200, 200, 200],
    listTopics: [404, 404, 200, 200, 200, 200, 200],
    createTopic: [401, 404, 201, 201, 201, 201, 201],
    reply: [401, 404, 201, 201, 201, 201, 201],
    comment: [401, 404, 201, 201, 201, 201, 201],
    voteTopic: [401, 404, 200, 200, 200, 200, 200],
    voteReply: [401, 404, 200, 200, 200, 200, 200],
    editOthersTopic: [401, 404, 403, 403, 200, 200, 200],
    editOthersReply: [401, 404, 403, 403, 200, 200, 200],
    acceptOnOthers: [401, 404, 403, 200, 200, 200, 200],
    follow: [401, 404, 200, 200, 200, 200, 200],
    createCategory: [401, 404, 403, 403, 403, 201, 201],
    setRole: [401, 404, 403, 403, 403, 200, 200],
    createCommunity: [401, 403, 403, 403, 403, 403, 201],
  },
};

interface Fixture {
  slug: string;
  topicId: number;
  replyId: number;
  targetUserId: number;
}

type Auth = TestUser["auth"] | null;

/** How each action is performed through the API. */
const ACTIONS = {
  view: (env, f, auth) => env.api.get(`/api/v1/communities/${f.slug}`, auth),
  listTopics: (env, f, auth) => env.api.get(`/api/v1/communities/${f.slug}/topics`, auth),
  createTopic: (env, f, auth) =>
    env.api.post(
      `/api/v1/communities/${f.slug}/topics`,
      { kind: "question", title: "Matrix question", body: "Body" },
      auth,
    ),
  reply: (env, f, auth) => env.api.post(`/api/v1/topics/${f.topicId}/replies`, { body: "Matrix reply" }, auth),
  comment: (env, f, auth) => env.api.post(`/api/v1/replies/${f.replyId}/comments`, { body: "Matrix comment" }, auth),
  voteTopic: (env, f, auth) => env.api.put(`/api/v1/topics/${f.topicId}/vote`, { value: 1 }, auth),
  voteReply: (env, f, auth) => env.api.put(`/api/v1/replies/${f.replyId}/vote`, { value: -1 }, auth),
  editOthersTopic: (env, f, auth) =>
    env.api.patch(`/api/v1/topics/${f.topicId}`, { body: `Edited ${randomToken(4)}` }, auth),
  editOthersReply: (env, f, auth) =>
    env.api.patch(`/api/v1/replies/${f.replyId}`, { body: `Edited ${randomToken(4)}` }, auth),
  acceptOnOthers: (env, f, auth) => env.api.post(`/api/v1/topics/${f.topicId}/accept`, { replyId: f.replyId }, auth),
  follow: (env, f, auth) => env.api.put(`/api/v1/topics/${f.topicId}/follow`, {}, auth),
  createCategory: (env, f, auth) =>
    env.api.post(`/api/v1/communities/${f.slug}/categories`, { name: `Category ${randomToken(4)}` }, auth),
  setRole: (env, f, auth) =>
    env.api.put(`/api/v1/communities/${f.slug}/members/${f.targetUserId}`, { role: "member" }, auth),
  createCommunity: (env, _f, auth) =>
    env.api.post(
      "/api/v1/communities",
      {
        slug: `m-${randomToken(6)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "")}`,
        name: "Matrix community",
      },
      auth,
    ),
} satisfies Record<string, (env: TestEnv, f: Fixture, auth: Auth) => Promise<ApiResponse>>;
type Action = keyof typeof ACTIONS;

type CorePrivilege = keyof typeof topicPrivileges | keyof typeof communityPrivileges;
/** Level-gated and settings privileges of the core, exercised through the API elsewhere (moderation, reputation suites). */
const ELSEWHERE = ["topic.retag", "category.champions", "community.configure", "audit.view"] as const;

/**
 * Which action exercises each privilege of the topics and communities domains through the API:
 * adding one without a matrix row fails below. The merged registry of every domain is checked
 * against every kind of standing by test/moderation/privileges.test.ts.
 */
const ACTION_FOR_PRIVILEGE: Record<Exclude<CorePrivilege, (typeof ELSEWHERE)[number]>, Action> = {
  "topic.create": "createTopic",
  "topic.edit": "editOthersTopic",
  "topic.accept": "acceptOnOthers",
  "topic.vote": "voteTopic",
  "topic.follow": "follow",
  "reply.create": "reply",
  "reply.edit": "editOthersReply",
  "reply.vote": "voteReply",
  "comment.create": "comment",
  "category.create": "createCategory",
  "member.setRole": "setRole",
};

test("every privilege of topics and communities has a row in the permissions matrix", () => {
  assert.deepEqual(
    [...Object.keys(ACTION_FOR_PRIVILEGE), ...ELSEWHERE].sort(),
    Object.keys({ ...topicPrivileges, ...communityPrivileges }).sort(),
  );
  for (const visibility of ["public", "private"] as const) {
    assert.deepEqual(Object.keys(EXPECTED[visibility]).sort(), Object.keys(ACTIONS).sort());
  }
});

/** A fresh actor for one cell, so that one action (which may make a member) never affects another. */
async function actorFor(env: TestEnv, who: Who, communityId: number): Promise<Auth> {
  if (who === "anonymous") return null;
  const user = await buildUser(env, { platformAdmin: who === "platformAdmin" });
  if (who !== "nonMember" && who !== "platformAdmin") await addMember(env, communityId, user.id, who as Role);
  return user.auth;
}

const roomyLimits = { rateLimits: { ...loadConfig({}).rateLimits, post: { max: 10_000, windowMs: 60_000 } } };

describeEachDatabase(
  "permissions matrix",
  (env) => {
    for (const visibility of ["public", "private"] as const) {
      let fixture: Fixture;
      let communityId: number;
      before(async () => {
        const built = await buildCommunity(env(), { visibility, members: { member: 3 } });
        const [asker, helper, target] = built.members.member;
        const topic = await buildTopic(env(), built.slug, asker);
        const reply = await buildReply(env(), topic.id, helper);
        fixture = { slug: built.slug, topicId: topic.id, replyId: reply.id, targetUserId: target.id };
        communityId = built.community.id;
      });

      for (const [column, who] of ROLES.entries()) {
        test(`${visibility} community, ${who}`, async () => {
          const actual: Record<string, number> = {};
          const expected: Record<string, number> = {};
          for (const action of Object.keys(ACTIONS) as Action[]) {
            const res = await ACTIONS[action](env(), fixture, await actorFor(env(), who, communityId));
            actual[action] = res.status;
            expected[action] = EXPECTED[visibility][action][column];
            if (res.status >= 400) assert.equal(typeof res.body?.error?.code, "string", `${action}: error shape`);
          }
          assert.deepEqual(actual, expected);
        });

        test(`${visibility} community, ${who}: the topic's abilities agree with the matrix`, async (t) => {
          const auth = await actorFor(env(), who, communityId);
          const page = await env().api.get(`/api/v1/topics/${fixture.topicId}`, auth);
          if (EXPECTED[visibility].view[column] !== 200) {
            assert.equal(page.status, 404);
            return t.diagnostic("cannot see the topic");
          }
          assert.equal(page.status, 200);
          const allowed = (action: Action) => EXPECTED[visibility][action][column] < 400;
          // Moderation abilities (flag, lock, ...) have their own matrix in test/moderation/privileges.test.ts.
          const { edit, reply: canReply, vote, accept, follow } = page.body.topic.abilities;
          assert.deepEqual(
            { edit, reply: canReply, vote, accept, follow },
            {
              edit: allowed("editOthersTopic"),
              reply: allowed("reply"),
              vote: allowed("voteTopic"),
              accept: allowed("acceptOnOthers"),
              follow: allowed("follow"),
            },
          );
          const reply = page.body.replies.find((r: { id: number }) => r.id === fixture.replyId);
          assert.deepEqual(
            {
              edit: reply.abilities.edit,
              vote: reply.abilities.vote,
              comment: reply.abilities.comment,
              accept: reply.abilities.accept,
            },
            {
              edit: allowed("editOthersReply"),
              vote: allowed("voteReply"),
              comment: allowed("comment"),
              accept: allowed("acceptOnOthers"),
            },
          );
        });
      }
    }
  },
  roomyLimits,
);
