import { test } from "node:test";
import assert from "node:assert/strict";
import { communityAccess } from "../../src/communities/index.ts";
import { join, setMemberRole } from "../../src/communities/communities.service.ts";
import { AppError } from "../../src/core/errors.ts";
import { actorOf, buildCommunity, buildUser, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

const speaks = (env: TestEnv, user: TestUser, locale: string) =>
  env.deps.db.updateTable("users").set({ locale }).where("id", "=", user.id).execute();

/** The refusal's explanation key, for the pages and forms that show it in the reader's language. */
async function explanationOf(work: Promise<unknown>): Promise<{ status: number; key?: string }> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return { status: error.status, key: error.explanation?.key };
  }
  assert.fail("refused");
}

/** Joining and changing roles are refused in the reader's language on pages; the API keeps its codes. */
describeEachDatabase("joining and roles refused, explained", (env) => {
  test("a banned member joining: 403 forbidden on the API, the reason in German on the page", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { moderator: 1 } });
    const user = await buildUser(env());
    const ban = await env().api.put(
      `/api/v1/communities/${slug}/members/${user.id}/ban`,
      { reason: "Spam" },
      members.moderator[0].auth,
    );
    assert.equal(ban.status, 200, JSON.stringify(ban.body));
    const api = await env().api.post(`/api/v1/communities/${slug}/join`, {}, user.auth);
    assert.equal(api.status, 403);
    assert.equal(api.body.error.code, "forbidden");
    assert.equal(api.body.error.message, "You are banned from this community.");
    await speaks(env(), user, "de");
    const page = await (await browse(env(), user)).submit(`/c/${slug}/join`);
    assert.equal(page.status, 403);
    assert.match(page.body, /Du bist aus dieser Community verbannt\./);
  });

  test("joining a community private, or made private since the access was read: each refusal explained", async () => {
    const { community, slug } = await buildCommunity(env());
    const user = await buildUser(env());
    const access = await communityAccess(env().deps, { slug }, actorOf(user));
    const privateOne = { ...access, community: { ...access.community, visibility: "private" as const } };
    assert.deepEqual(await explanationOf(join(env().deps, privateOne)), { status: 403, key: "community.joinPrivate" });
    await env()
      .deps.db.updateTable("communities")
      .set({ visibility: "private" })
      .where("id", "=", community.id)
      .execute();
    assert.deepEqual(await explanationOf(join(env().deps, access)), { status: 403, key: "community.joinRefused" });
  });

  test("roles: refused to a non-admin and for an unknown user, with explanations; the API keeps 403 and 404", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const asMember = await communityAccess(env().deps, { slug }, actorOf(member));
    assert.deepEqual(await explanationOf(setMemberRole(env().deps, asMember, admin.id, "member")), {
      status: 403,
      key: "members.adminsOnly",
    });
    const asAdmin = await communityAccess(env().deps, { slug }, actorOf(admin));
    assert.deepEqual(await explanationOf(setMemberRole(env().deps, asAdmin, 999_999, "staff")), {
      status: 404,
      key: "members.unknownUser",
    });
    const forbidden = await env().api.put(
      `/api/v1/communities/${slug}/members/${admin.id}`,
      { role: "member" },
      member.auth,
    );
    assert.equal(forbidden.status, 403);
    assert.deepEqual(forbidden.body.error.code, "forbidden");
    assert.equal(forbidden.body.error.message, "Only community admins can change roles.");
    const unknown = await env().api.put(`/api/v1/communities/${slug}/members/999999`, { role: "staff" }, admin.auth);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "not_found");
    assert.equal(unknown.body.error.message, "User not found.");
    await speaks(env(), admin, "it");
    const form = await (await browse(env(), admin)).submit(`/c/${slug}/members/999999`, { role: "staff" });
    assert.match(form.body, /Questo utente non esiste o ha eliminato il suo account\./);
  });
});
