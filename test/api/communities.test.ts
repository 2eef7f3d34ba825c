import { test } from "node:test";
import assert from "node:assert/strict";
import { randomToken } from "../../src/lib/crypto.ts";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";

const newSlug = () =>
  `n-${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

describeEachDatabase("communities API", (env) => {
  test("the list hides private communities from anonymous visitors and non-members", async () => {
    const open = await buildCommunity(env());
    const closed = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const outsider = await buildUser(env());
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    const slugsFor = async (auth: Parameters<ReturnType<typeof env>["api"]["get"]>[1]) => {
      const res = await env().api.get("/api/v1/communities", auth);
      assert.equal(res.status, 200);
      return res.body.communities.map((c: { slug: string }) => c.slug);
    };
    const anonymous = await slugsFor(null);
    assert.ok(anonymous.includes(open.slug));
    assert.ok(!anonymous.includes(closed.slug));
    const nonMember = await slugsFor(outsider.auth);
    assert.ok(nonMember.includes(open.slug));
    assert.ok(!nonMember.includes(closed.slug));
    assert.ok((await slugsFor(closed.members.member[0].auth)).includes(closed.slug));
    assert.ok((await slugsFor(closed.admin.auth)).includes(closed.slug));
    assert.ok((await slugsFor(platformAdmin.auth)).includes(closed.slug));
  });

  test("only a platform admin creates communities (201), and becomes their admin", async () => {
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    const { admin: communityAdmin } = await buildCommunity(env());
    const someone = await buildUser(env());
    const slug = newSlug();
    const body = { slug, name: "Acme Support", visibility: "private" };
    assert.equal((await env().api.post("/api/v1/communities", body)).status, 401);
    for (const user of [someone, communityAdmin]) {
      const refused = await env().api.post("/api/v1/communities", body, user.auth);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, "forbidden");
    }
    const abilities = async (auth: typeof someone.auth | null) =>
      (await env().api.get("/api/v1/communities", auth)).body.abilities;
    assert.deepEqual(await abilities(null), { create: false });
    assert.deepEqual(await abilities(communityAdmin.auth), { create: false });
    assert.deepEqual(await abilities(platformAdmin.auth), { create: true }, "the list says who may create");
    const created = await env().api.post("/api/v1/communities", body, platformAdmin.auth);
    assert.equal(created.status, 201);
    assert.equal(created.body.community.slug, slug);
    assert.equal(created.body.community.visibility, "private");
    assert.equal(created.body.community.name, "Acme Support");
    const me = await env().api.get("/api/v1/me", platformAdmin.auth);
    assert.deepEqual(
      me.body.memberships.find((m: { community: string }) => m.community === slug),
      { community: slug, name: "Acme Support", role: "admin" },
    );
    // A refused attempt wrote nothing.
    const rows = await env().deps.db.selectFrom("communities").select("id").where("slug", "=", slug).execute();
    assert.equal(rows.length, 1);
    // Its audit log begins with who created it, shown to its admins.
    const audit = await env()
      .deps.db.selectFrom("auditLog")
      .select(["action", "actorId", "details"])
      .where("communityId", "=", rows[0].id)
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actorId, JSON.parse(a.details)]),
      [["community.create", platformAdmin.id, { slug, name: "Acme Support", visibility: "private" }]],
    );
    const page = await env().app.inject({ url: `/c/${slug}/audit`, headers: { cookie: platformAdmin.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Community created/);
  });

  test("a duplicate slug is 409 and a malformed slug or name is 422", async () => {
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    const slug = newSlug();
    assert.equal(
      (await env().api.post("/api/v1/communities", { slug, name: "First" }, platformAdmin.auth)).status,
      201,
    );
    const duplicate = await env().api.post(
      "/api/v1/communities",
      { slug: slug.toUpperCase(), name: "Second" },
      platformAdmin.auth,
    );
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.error.code, "conflict");
    for (const bad of ["-leading", "trailing-", "has space", "ünï", "", "x".repeat(41), "a_b"]) {
      const res = await env().api.post("/api/v1/communities", { slug: bad, name: "Bad slug" }, platformAdmin.auth);
      assert.equal(res.status, 422, `slug ${JSON.stringify(bad)}`);
      assert.ok(res.body.error.fields.slug, `slug ${JSON.stringify(bad)}`);
    }
    const badName = await env().api.post(
      "/api/v1/communities",
      { slug: newSlug(), name: "x", visibility: "secret" },
      platformAdmin.auth,
    );
    assert.equal(badName.status, 422);
    assert.deepEqual(Object.keys(badName.body.error.fields).sort(), ["name", "visibility"]);
  });

  test("GET one includes its categories and the caller's role", async () => {
    const { slug, admin, members } = await buildCommunity(env(), {
      categories: ["Internet", "Billing"],
      members: { staff: 1 },
    });
    const res = await env().api.get(`/api/v1/communities/${slug}`, members.staff[0].auth);
    assert.equal(res.status, 200);
    assert.equal(res.body.community.slug, slug);
    assert.equal(res.body.community.role, "staff");
    assert.deepEqual(
      res.body.community.categories.map((c: { slug: string; name: string }) => [c.slug, c.name]),
      [
        ["internet", "Internet"],
        ["billing", "Billing"],
      ],
    );
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, admin.auth)).body.community.role, "admin");
    const anonymous = await env().api.get(`/api/v1/communities/${slug}`);
    assert.equal(anonymous.status, 200);
    assert.equal(anonymous.body.community.role, null);
    assert.equal((await env().api.get(`/api/v1/communities/${slug.toUpperCase()}`)).status, 200);
  });

  test("a private community is 404 to anonymous visitors and non-members, visible to members and platform admins", async () => {
    const { slug, members } = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const outsider = await buildUser(env());
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    for (const auth of [null, outsider.auth]) {
      for (const path of ["", "/categories", "/topics"]) {
        const res = await env().api.get(`/api/v1/communities/${slug}${path}`, auth);
        assert.equal(res.status, 404, `${path} as ${auth ? "non-member" : "anonymous"}`);
        assert.equal(res.body.error.code, "not_found");
      }
    }
    // Refused and unknown look alike.
    const unknown = await env().api.get("/api/v1/communities/no-such-community", outsider.auth);
    assert.deepEqual(unknown.body.error.code, "not_found");
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}`, members.member[0].auth)).body.community.role,
      "member",
    );
    const asPlatformAdmin = await env().api.get(`/api/v1/communities/${slug}`, platformAdmin.auth);
    assert.equal(asPlatformAdmin.status, 200);
    assert.equal(asPlatformAdmin.body.community.role, "admin");
  });

  test("joining a public community makes a member, idempotently; an existing role is kept", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { moderator: 1 } });
    const user = await buildUser(env());
    assert.equal((await env().api.post(`/api/v1/communities/${slug}/join`)).status, 401);
    for (let i = 0; i < 2; i++) {
      const res = await env().api.post(`/api/v1/communities/${slug}/join`, {}, user.auth);
      assert.equal(res.status, 200);
      assert.equal(res.body.role, "member");
    }
    const joined = await env().api.get(`/api/v1/communities/${slug}`, user.auth);
    assert.equal(joined.body.community.role, "member");
    const moderator = await env().api.post(`/api/v1/communities/${slug}/join`, {}, members.moderator[0].auth);
    assert.equal(moderator.body.role, "moderator");
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}`, members.moderator[0].auth)).body.community.role,
      "moderator",
    );
  });

  test("a private community cannot be joined by a non-member, and looks absent to them", async () => {
    const { slug } = await buildCommunity(env(), { visibility: "private" });
    const user = await buildUser(env());
    const res = await env().api.post(`/api/v1/communities/${slug}/join`, {}, user.auth);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "not_found");
    const memberships = await env().api.get("/api/v1/me", user.auth);
    assert.deepEqual(memberships.body.memberships, []);
  });

  test("a community admin sets roles; the new role takes effect", async () => {
    const { slug, admin } = await buildCommunity(env(), { visibility: "private" });
    const user = await buildUser(env());
    const added = await env().api.put(`/api/v1/communities/${slug}/members/${user.id}`, { role: "staff" }, admin.auth);
    assert.equal(added.status, 200);
    assert.deepEqual(added.body.member, { userId: user.id, name: user.name, role: "staff" });
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, user.auth)).body.community.role, "staff");
    const changed = await env().api.put(
      `/api/v1/communities/${slug}/members/${user.id}`,
      { role: "moderator" },
      admin.auth,
    );
    assert.equal(changed.body.member.role, "moderator");
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, user.auth)).body.community.role, "moderator");
  });

  test("a community keeps at least one admin: the last one cannot step down, also not in a race", async () => {
    const { slug, admin } = await buildCommunity(env());
    const role = (user: { id: number }, to: string, by: { auth: { token: string } }) =>
      env().api.put(`/api/v1/communities/${slug}/members/${user.id}`, { role: to }, by.auth);
    const alone = await role(admin, "member", admin);
    assert.equal(alone.status, 409);
    assert.match(alone.body.error.message, /at least one admin/);

    const second = await buildUser(env());
    assert.equal((await role(second, "admin", admin)).status, 200);
    // Each demotes the other at the same moment: one of them stays admin.
    const both = await Promise.all([role(second, "staff", admin), role(admin, "staff", second)]);
    // The loser is refused: as no longer an admin (403), or as the last one (409), by timing.
    const statuses = both.map((r) => r.status).sort();
    assert.ok(statuses[0] === 200 && [403, 409].includes(statuses[1]), JSON.stringify(statuses));
    const left = await env()
      .deps.db.selectFrom("memberships")
      .innerJoin("communities", "communities.id", "memberships.communityId")
      .select("memberships.userId")
      .where("communities.slug", "=", slug)
      .where("memberships.role", "=", "admin")
      .execute();
    assert.equal(left.length, 1);
  });

  test("an admin demoted while changing a role at once changes nothing after the demotion", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    const role = (user: { id: number }, to: string, by: { auth: { token: string } }) =>
      env().api.put(`/api/v1/communities/${slug}/members/${user.id}`, { role: to }, by.auth);
    const second = await buildUser(env());
    const newcomer = await buildUser(env());
    assert.equal((await role(second, "admin", admin)).status, 200);
    const [demotion, promotion] = await Promise.all([role(second, "member", admin), role(newcomer, "admin", second)]);
    assert.equal(demotion.status, 200);
    const audit = await env()
      .deps.db.selectFrom("auditLog")
      .select(["id", "actorId", "targetId"])
      .where("communityId", "=", community.id)
      .where("action", "=", "member.setRole")
      .execute();
    const demoted = audit.find((a) => a.targetId === second.id && a.actorId === admin.id && a.id !== audit[0].id)!;
    if (promotion.status === 200) {
      // Then it ran first: its change is recorded before the demotion.
      const promoted = audit.find((a) => a.targetId === newcomer.id)!;
      assert.ok(promoted.id < demoted.id, "a change made after the demotion");
    } else assert.equal(promotion.status, 403);
  });

  test("setting roles: others 403, unknown user 404, bad role 422", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1, moderator: 1 } });
    const target = members.member[0];
    for (const actor of [members.staff[0], members.moderator[0], target, await buildUser(env())]) {
      const res = await env().api.put(
        `/api/v1/communities/${slug}/members/${target.id}`,
        { role: "admin" },
        actor.auth,
      );
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, "forbidden");
    }
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, target.auth)).body.community.role, "member");
    const unknown = await env().api.put(`/api/v1/communities/${slug}/members/987654`, { role: "staff" }, admin.auth);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "not_found");
    const badRole = await env().api.put(
      `/api/v1/communities/${slug}/members/${target.id}`,
      { role: "owner" },
      admin.auth,
    );
    assert.equal(badRole.status, 422);
    assert.ok(badRole.body.error.fields.role);
    const badId = await env().api.put(`/api/v1/communities/${slug}/members/abc`, { role: "staff" }, admin.auth);
    assert.equal(badId.status, 422);
  });

  test("categories: anyone who sees the community lists them; only its admin creates them", async () => {
    const { slug, admin, members } = await buildCommunity(env(), {
      categories: ["General"],
      members: { member: 1, moderator: 1 },
    });
    const listed = await env().api.get(`/api/v1/communities/${slug}/categories`);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.categories.map((c: { slug: string }) => c.slug),
      ["general"],
    );
    assert.equal((await env().api.post(`/api/v1/communities/${slug}/categories`, { name: "Mobile" })).status, 401);
    for (const user of [members.member[0], members.moderator[0]]) {
      const refused = await env().api.post(`/api/v1/communities/${slug}/categories`, { name: "Mobile" }, user.auth);
      assert.equal(refused.status, 403);
    }
    const created = await env().api.post(
      `/api/v1/communities/${slug}/categories`,
      { name: "Mobile & SIM", position: 5 },
      admin.auth,
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.category.slug, "mobile-sim");
    assert.equal(created.body.category.name, "Mobile & SIM");
    const duplicate = await env().api.post(
      `/api/v1/communities/${slug}/categories`,
      { name: "Mobile SIM", slug: "mobile-sim" },
      admin.auth,
    );
    assert.equal(duplicate.status, 409);
    const invalid = await env().api.post(`/api/v1/communities/${slug}/categories`, { name: "x" }, admin.auth);
    assert.equal(invalid.status, 422);
    assert.ok(invalid.body.error.fields.name);
    const after = await env().api.get(`/api/v1/communities/${slug}/categories`);
    assert.deepEqual(
      after.body.categories.map((c: { slug: string }) => c.slug),
      ["general", "mobile-sim"],
    );
  });
});

describeEachDatabase("community admin actions in the audit log", (env) => {
  test("role changes and category changes are recorded with who did them", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const member = members.member[0];
    assert.equal(
      (await env().api.put(`/api/v1/communities/${slug}/members/${member.id}`, { role: "staff" }, admin.auth)).status,
      200,
    );
    const created = await env().api.post(
      `/api/v1/communities/${slug}/categories`,
      { name: "Billing questions", scope: "private" },
      admin.auth,
    );
    assert.equal(created.status, 201);
    assert.equal(
      (
        await env().api.patch(
          `/api/v1/communities/${slug}/categories/${created.body.category.id}`,
          { expectation: "Within a day." },
          admin.auth,
        )
      ).status,
      200,
    );
    const log = await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth);
    const entries = log.body.entries.map(
      (e: { action: string; actor: { id: number } | null; target: { id: number } }) => [
        e.action,
        e.actor?.id,
        e.target.id,
      ],
    );
    assert.deepEqual(entries.slice(0, 3), [
      ["category.update", admin.id, created.body.category.id],
      ["category.create", admin.id, created.body.category.id],
      ["member.setRole", admin.id, member.id],
    ]);
  });
});
