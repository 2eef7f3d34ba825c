import { test } from "node:test";
import assert from "node:assert/strict";
import type { CommunityAccess } from "../../src/access/access.ts";
import { can, defaultThresholds, privilegeRules, type Privilege } from "../../src/access/privileges.ts";
import { DEFAULT_RANKS } from "../../src/access/trust-levels.ts";
import { installRegistries } from "../../src/app/registry.ts";
import type { Role } from "../../src/db/schema.ts";
import { buildCommunity, buildTopic, describeEachDatabase, type TestUser } from "../helpers.ts";
import { patchSettings, setKudos } from "../reputation/support.ts";
import { browse } from "../web/web-helpers.ts";

installRegistries();
const KUDOS_THRESHOLDS = defaultThresholds();

/**
 * Every privilege of every domain (the merged registry) against every kind of standing, written out by hand (not derived from the code
 * under test), for an object someone else owns. Columns: anonymous, visitor (logged in, not a
 * member of the public community), member (0 kudos), trusted member (5000 kudos), champion (0
 * kudos), suspended member, staff, moderator, admin, suspended moderator.
 */
const COLUMNS = [
  "anonymous",
  "visitor",
  "member",
  "trusted",
  "champion",
  "suspended",
  "staff",
  "moderator",
  "admin",
  "suspendedModerator",
] as const;
type Row = readonly [0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1];
const PARTICIPATE: Row = [0, 1, 1, 1, 1, 0, 1, 1, 1, 0];
const MODERATE: Row = [0, 0, 0, 0, 0, 0, 0, 1, 1, 0];
const ADMIN: Row = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
const STAFF: Row = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0];
const TEAM: Row = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0];
const LEVEL_FOR_ALL: Row = [0, 0, 0, 1, 1, 0, 1, 1, 1, 0];
const LEVEL_FOR_MODERATORS: Row = [0, 0, 0, 1, 1, 0, 0, 1, 1, 0];

const EXPECTED: Record<Privilege, Row> = {
  "topic.create": PARTICIPATE,
  "topic.edit": LEVEL_FOR_MODERATORS,
  "topic.accept": [0, 0, 0, 0, 0, 0, 1, 1, 1, 0],
  "topic.vote": PARTICIPATE,
  "topic.follow": [0, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  "reply.create": PARTICIPATE,
  "reply.edit": LEVEL_FOR_MODERATORS,
  "reply.vote": PARTICIPATE,
  "comment.create": PARTICIPATE,
  "category.create": ADMIN,
  "member.setRole": ADMIN,
  "post.links": LEVEL_FOR_ALL,
  "post.images": LEVEL_FOR_ALL,
  "post.attach": PARTICIPATE,
  "topic.retag": LEVEL_FOR_ALL,
  "topic.markDuplicate": LEVEL_FOR_MODERATORS,
  "post.flag": PARTICIPATE,
  "review.queue": [0, 0, 0, 1, 0, 0, 0, 1, 1, 0],
  "post.delete": MODERATE,
  "post.hide": MODERATE,
  "post.redact": MODERATE,
  "topic.lock": MODERATE,
  "topic.move": MODERATE,
  "topic.merge": MODERATE,
  "member.warn": MODERATE,
  "member.suspend": MODERATE,
  "member.remove": MODERATE,
  "kudos.ledger": [0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
  "champion.enrol": [0, 0, 0, 0, 0, 0, 1, 1, 1, 0],
  // Reading: a suspended moderator keeps it (a suspended champion too: test/api/communities-suspended-champions).
  "category.champions": [0, 0, 0, 0, 1, 0, 1, 1, 1, 1],
  "reward.redeem": PARTICIPATE,
  "reward.manage": STAFF,
  "reward.fulfil": STAFF,
  "community.configure": ADMIN,
  "audit.view": ADMIN,
  "article.write": TEAM,
  "stats.deflection": TEAM,
  "stats.routing": STAFF,
  "insights.view": TEAM,
  "insights.configure": STAFF,
  "support.configure": ADMIN,
  "queue.work": STAFF,
  "idea.setStatus": STAFF,
  "poll.create": STAFF,
  "poll.vote": PARTICIPATE,
  "course.create": STAFF,
  "course.attempt": PARTICIPATE,
  "application.review": TEAM,
  "service.manage": STAFF,
  "settings.manage": ADMIN,
  "payout.export": STAFF,
  "market.staff": TEAM,
  "booking.request": PARTICIPATE,
  "booking.accept": PARTICIPATE,
  "booking.message": PARTICIPATE,
  "job.request": PARTICIPATE,
  "job.accept": PARTICIPATE,
  "offer.publish": PARTICIPATE,
  "helper.apply": PARTICIPATE,
  "review.write": PARTICIPATE,
  "review.flag": PARTICIPATE,
};

const NOW = Date.UTC(2026, 0, 1);
const community = { id: 1, slug: "c", name: "C", visibility: "public" as const };

function accessFor(who: (typeof COLUMNS)[number]): CommunityAccess {
  const none = {
    kudos: 0,
    champion: false,
    suspendedUntil: null,
    suspensionReason: null,
    banned: false,
    thresholds: KUDOS_THRESHOLDS,
    at: NOW,
  };
  if (who === "anonymous") return { community, actor: null, role: null, standing: none, ranks: DEFAULT_RANKS };
  const roles: Partial<Record<typeof who, Role>> = {
    member: "member",
    trusted: "member",
    champion: "member",
    suspended: "member",
    staff: "staff",
    moderator: "moderator",
    admin: "admin",
    suspendedModerator: "moderator",
  };
  const suspended = who === "suspended" || who === "suspendedModerator";
  return {
    community,
    actor: { id: 7, name: who, email: `${who}@example.test`, isPlatformAdmin: false, locale: null, via: "token" },
    role: roles[who] ?? null,
    standing: {
      kudos: who === "trusted" ? 5000 : 0,
      champion: who === "champion",
      suspendedUntil: suspended ? NOW + 1000 : null,
      suspensionReason: suspended ? "spam" : null,
      banned: false,
      thresholds: KUDOS_THRESHOLDS,
      at: NOW,
    },
    ranks: DEFAULT_RANKS,
  };
}

test("the matrix covers exactly the privileges every domain declares", () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(privilegeRules()).sort());
});

for (const [column, who] of COLUMNS.entries()) {
  test(`privileges of ${who} on others' posts`, () => {
    const actual = Object.fromEntries(
      Object.keys(privilegeRules()).map((p) => [p, can(accessFor(who), p as Privilege, 999) ? 1 : 0]),
    );
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([p, row]) => [p, row[column]]));
    assert.deepEqual(actual, expected);
  });
}

test("owners: edit and retag their own posts, see their own ledger even while suspended; never vote on or flag them", () => {
  const own = (who: (typeof COLUMNS)[number], privilege: Privilege) => can(accessFor(who), privilege, 7);
  for (const p of ["topic.edit", "reply.edit", "topic.retag", "topic.accept", "kudos.ledger"] as const)
    assert.equal(own("member", p), true, p);
  for (const p of ["topic.vote", "reply.vote", "post.flag"] as const) assert.equal(own("moderator", p), false, p);
  assert.equal(own("suspended", "kudos.ledger"), true);
  assert.equal(own("suspended", "topic.edit"), false, "a suspension stops editing too");
});

test("thresholds come from the community and a suspension ends by itself", () => {
  const access = accessFor("member");
  access.standing = {
    ...access.standing,
    kudos: 40,
    thresholds: { ...KUDOS_THRESHOLDS, "review.queue": 40, "post.links": 41 },
  };
  assert.equal(can(access, "review.queue"), true);
  assert.equal(can(access, "post.links"), false);
  const suspended = accessFor("suspended");
  assert.equal(can(suspended, "reply.create"), false);
  suspended.standing = { ...suspended.standing, at: NOW + 1000 };
  assert.equal(can(suspended, "reply.create"), true, "over at the end time");
});

describeEachDatabase("privileges by level through the API", (env) => {
  const post = (slug: string, user: TestUser, body: string, title = "A question with a link in it") =>
    env().api.post(`/api/v1/communities/${slug}/topics`, { kind: "question", title, body }, user.auth);

  test("new members may not post links or images until they have the kudos; admins can change the level", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [member, other] = members.member;
    const link = await post(slug, member, "See https://example.com/fix for details.");
    assert.equal(link.status, 403);
    assert.equal(link.body.error.message, "New members cannot post links yet: it takes 10 kudos (you have 0).");
    const image = await post(
      slug,
      member,
      "![router](https://example.com/router.png)",
      "A question with an image in it",
    );
    assert.equal(image.status, 403);
    assert.match(image.body.error.message, /images/);
    const topic = await buildTopic(env(), slug, other);
    assert.equal(
      (
        await env().api.post(
          `/api/v1/topics/${topic.id}/replies`,
          { body: "Try [this](https://example.com)" },
          member.auth,
        )
      ).status,
      403,
    );
    assert.equal(
      (await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Now with https://example.com" }, other.auth))
        .status,
      403,
      "edits too",
    );
    await setKudos(env(), community.id, member.id, 10);
    assert.equal((await post(slug, member, "See https://example.com/fix for details.")).status, 201);
    await patchSettings(env(), slug, admin, "reputation", { thresholds: { "post.links": 0 } });
    assert.equal(
      (await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Now with https://example.com" }, other.auth))
        .status,
      200,
    );
  });

  test("a form refused for a link keeps the member's text and says why next to it, in their language", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [member, other] = members.member;
    const topic = await buildTopic(env(), slug, other);
    const browser = await browse(env(), member);
    const text = "Try [the reset guide](https://example.com/reset) first.";
    const refused = await browser.submit(`/c/${slug}/t/${topic.id}/reply`, { body: text });
    assert.equal(refused.status, 403);
    assert.match(
      refused.body,
      /<textarea[^>]*>Try \[the reset guide\]\(https:\/\/example.com\/reset\) first.<\/textarea>/,
    );
    assert.match(refused.body, /New members cannot post links yet: it takes 10 kudos \(you have 0\)\. Remove the link/);
    const asked = await browser.submit(`/c/${slug}/new`, {
      kind: "question",
      title: "Where is the reset guide?",
      body: "![screen](https://example.com/screen.png)",
    });
    assert.equal(asked.status, 403);
    assert.match(asked.body, /value="Where is the reset guide\?"/, "the title is kept");
    assert.match(asked.body, /cannot post images yet/);
    const german = await env().app.inject({
      method: "POST",
      url: `/c/${slug}/t/${topic.id}/reply`,
      headers: { cookie: browser.cookie, "accept-language": "de", "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: browser.csrf, body: text }).toString(),
    });
    assert.match(german.body, /Neue Mitglieder können noch keine Links posten/);
  });

  test("retag, edit others' posts and the review queue come with kudos; such edits are audited", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, climber] = members.member;
    const topic = await buildTopic(env(), slug, asker, { tags: ["wifi"] });
    const retag = () => env().api.patch(`/api/v1/topics/${topic.id}`, { tags: ["wifi", "router"] }, climber.auth);
    const edit = () => env().api.patch(`/api/v1/topics/${topic.id}`, { body: "A clearer body" }, climber.auth);
    const queue = () => env().api.get(`/api/v1/communities/${slug}/review-queue`, climber.auth);
    assert.deepEqual([(await retag()).status, (await edit()).status, (await queue()).status], [403, 403, 403]);
    await setKudos(env(), community.id, climber.id, 250);
    assert.deepEqual(
      [(await retag()).status, (await edit()).status, (await queue()).status],
      [200, 403, 403],
      "retag only",
    );
    await setKudos(env(), community.id, climber.id, 1000);
    assert.deepEqual([(await edit()).status, (await queue()).status], [200, 403]);
    await setKudos(env(), community.id, climber.id, 2000);
    assert.equal((await queue()).status, 200);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic.tags.join(","), "wifi,router");
    const audit = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;
    assert.deepEqual(
      audit.map((e: { action: string; actor: { id: number } }) => [e.action, e.actor.id]),
      [
        ["post.edit", climber.id],
        ["topic.retag", climber.id],
      ],
    );
  });

  test("members acting above their privilege get a clear 403 and change nothing", async () => {
    const { slug, members, categories } = await buildCommunity(env(), { members: { member: 2 } });
    const [member, target] = members.member;
    const topic = await buildTopic(env(), slug, target);
    const other = await buildTopic(env(), slug, target, { title: "Another topic to merge into" });
    const attempts = {
      lock: env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, member.auth),
      move: env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId: categories[0].id }, member.auth),
      merge: env().api.post(`/api/v1/topics/${topic.id}/merge`, { intoTopicId: other.id }, member.auth),
      hide: env().api.post(`/api/v1/posts/topic/${topic.id}/hide`, { reason: "no" }, member.auth),
      suspend: env().api.put(
        `/api/v1/communities/${slug}/members/${target.id}/suspension`,
        { days: 3, reason: "because" },
        member.auth,
      ),
      warn: env().api.post(
        `/api/v1/communities/${slug}/members/${target.id}/warnings`,
        { reason: "because" },
        member.auth,
      ),
      queue: env().api.get(`/api/v1/communities/${slug}/review-queue`, member.auth),
      audit: env().api.get(`/api/v1/communities/${slug}/audit-log`, member.auth),
      settings: env().api.patch(`/api/v1/communities/${slug}/settings/moderation`, { flagsToHide: 1 }, member.auth),
      champion: env().api.put(
        `/api/v1/communities/${slug}/members/${member.id}/champion`,
        { champion: true },
        member.auth,
      ),
      reward: env().api.post(`/api/v1/communities/${slug}/rewards`, { name: "Free TV", price: 1 }, member.auth),
    };
    for (const [name, pending] of Object.entries(attempts)) {
      const res = await pending;
      assert.equal(res.status, 403, name);
      assert.equal(res.body.error.code, "forbidden", name);
      assert.ok(res.body.error.message.length > 10, name);
    }
    const after = (await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic;
    assert.equal(after.locked, false);
    assert.equal(after.moderationState, "visible");
    assert.equal(after.categoryId, null);
  });
});
