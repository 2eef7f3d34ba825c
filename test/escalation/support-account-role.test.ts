import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestUser } from "../helpers.ts";
import { ask, roomyLimits } from "../routing/support.ts";
import { HELPDESK_SECRET, helpdeskEvent, startReceiver, statusOf, type Receiver } from "./support.ts";

const MINUTE = 60_000;

describeEachDatabase(
  "escalation: the Support team account acts only while it is staff",
  (env) => {
    let hook: Receiver;
    before(async () => {
      hook = await startReceiver();
    });
    after(() => hook.close());

    /** A community with a help desk whose Support team account exists (made by a first reply), and an escalated topic. */
    async function withSupportAccount() {
      const built = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const { slug, admin, community } = built;
      const set = await env().api.put(
        `/api/v1/communities/${slug}/webhook`,
        { url: hook.url, secret: HELPDESK_SECRET, active: false },
        admin.auth,
      );
      assert.equal(set.status, 200);
      const [asker] = built.members.member;
      const [staff] = built.members.staff;
      const topic = await ask(env(), slug, asker);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
      const first = await helpdeskEvent(env(), slug, reply(topic.id, "Please send us the serial number."));
      assert.equal(first.status, 200);
      const hookRow = await env()
        .deps.db.selectFrom("escalationWebhooks")
        .select("supportUserId")
        .where("communityId", "=", community.id)
        .executeTakeFirstOrThrow();
      return { ...built, asker, staff, topic, supportId: hookRow.supportUserId! };
    }
    const reply = (topicId: number, body: string, extra: Record<string, unknown> = {}) => ({
      type: "ticket.reply",
      topicId,
      ticketId: "4711",
      body,
      agentName: "Ana",
      ...extra,
    });
    const closed = (topicId: number) => ({ type: "ticket.closed", topicId, ticketId: "4711" });
    const replies = async (topicId: number, viewer: TestUser) =>
      (await env().api.get(`/api/v1/topics/${topicId}`, viewer.auth)).body.replies.map(
        (r: { author: { id: number }; official: boolean; body: string }) => [r.author.id, r.official, r.body],
      );
    const supportAccounts = async (communityId: number) =>
      (
        await env()
          .deps.db.selectFrom("users")
          .innerJoin("memberships", "memberships.userId", "users.id")
          .select("users.id")
          .where("users.name", "=", "Support team")
          .where("memberships.communityId", "=", communityId)
          .execute()
      ).length;
    const lastOutcome = async (slug: string, staff: TestUser) =>
      (await env().api.get(`/api/v1/communities/${slug}/helpdesk/events`, staff.auth)).body.events[0].outcome as string;

    test("demoted by an admin: nothing is posted or closed as it, the reason is logged, and no new account is made", async () => {
      const { slug, admin, staff, asker, topic, supportId, community } = await withSupportAccount();
      const demoted = await env().api.put(
        `/api/v1/communities/${slug}/members/${supportId}`,
        { role: "member" },
        admin.auth,
      );
      assert.equal(demoted.status, 200);
      env().clock.advance(MINUTE);

      const refused = await helpdeskEvent(env(), slug, reply(topic.id, "Thanks, received."));
      assert.equal(refused.status, 409);
      assert.match(
        refused.body.error.message,
        /Support team account no longer acts for staff \(its role is now member\)/,
      );
      assert.match(
        await lastOutcome(slug, staff),
        /^refused: The community's Support team account .*role is now member/,
      );
      assert.deepEqual(await replies(topic.id, asker), [
        [supportId, true, "Please send us the serial number.\n\n— Ana"],
      ]);

      const close = await helpdeskEvent(env(), slug, closed(topic.id));
      assert.equal(close.status, 409);
      assert.equal(await statusOf(env(), topic.id, asker), "escalated", "the case stays open");
      const supportCase = (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case;
      assert.equal(supportCase.resolvedAt, null);

      assert.equal(await supportAccounts(community.id), 1, "no second Support team account behind the admin's back");
      const membership = await env()
        .deps.db.selectFrom("memberships")
        .select("role")
        .where("communityId", "=", community.id)
        .where("userId", "=", supportId)
        .executeTakeFirstOrThrow();
      assert.equal(membership.role, "member", "the admin's decision stands");
    });

    test("made staff again, the help desk's retry is applied as the same account", async () => {
      const { slug, admin, asker, topic, supportId } = await withSupportAccount();
      const setRole = (role: string) =>
        env().api.put(`/api/v1/communities/${slug}/members/${supportId}`, { role }, admin.auth);
      assert.equal((await setRole("member")).status, 200);
      const event = reply(topic.id, "We replaced the router.");
      assert.equal((await helpdeskEvent(env(), slug, event, "retry-me")).status, 409);
      assert.equal((await setRole("staff")).status, 200);
      env().clock.advance(MINUTE);
      const retried = await helpdeskEvent(env(), slug, event, "retry-me");
      assert.equal(retried.status, 200);
      assert.equal(retried.body.duplicate, false, "the refused delivery was not remembered");
      assert.deepEqual((await replies(topic.id, asker)).at(-1), [supportId, true, "We replaced the router.\n\n— Ana"]);
      assert.equal((await helpdeskEvent(env(), slug, closed(topic.id))).status, 200);
      assert.equal(await statusOf(env(), topic.id, asker), "answered", "out of the staff queue, answered by support");
    });

    for (const [how, reason] of [
      ["suspended", /it is suspended until 2026-\d\d-\d\d \d\d:\d\d UTC/],
      ["removed", /it is no longer a member of the community/],
      ["banned", /it is banned from the community/],
    ] as const) {
      test(`${how}: refused with the reason, nothing posted or closed as it`, async () => {
        const { slug, admin, staff, asker, topic, supportId } = await withSupportAccount();
        const member = `/api/v1/communities/${slug}/members/${supportId}`;
        const why = { reason: "The team account is on hold for review." };
        // Only admins act on staff members (moderation.policy.ts).
        const acted =
          how === "suspended"
            ? await env().api.put(`${member}/suspension`, { days: 3, ...why }, admin.auth)
            : how === "removed"
              ? await env().api.delete(member, admin.auth)
              : await env().api.put(`${member}/ban`, why, admin.auth);
        assert.equal(acted.status, 200);
        env().clock.advance(MINUTE);
        const refused = await helpdeskEvent(env(), slug, reply(topic.id, "Thanks, received."));
        assert.equal(refused.status, 409);
        assert.match(refused.body.error.message, reason);
        assert.match(await lastOutcome(slug, staff), reason);
        assert.equal((await replies(topic.id, asker)).length, 1);
        assert.equal((await helpdeskEvent(env(), slug, closed(topic.id))).status, 409);
        assert.equal(await statusOf(env(), topic.id, asker), "escalated");
        const membership = await env()
          .deps.db.selectFrom("memberships")
          .select("role")
          .where("userId", "=", supportId)
          .executeTakeFirst();
        assert.equal(membership?.role, how === "suspended" ? "staff" : undefined, "no membership made by a reply");
      });
    }

    test("a suspension that ended lets it act again", async () => {
      const { slug, admin, asker, topic, supportId } = await withSupportAccount();
      const suspended = await env().api.put(
        `/api/v1/communities/${slug}/members/${supportId}/suspension`,
        { days: 1, reason: "The team account is on hold for review." },
        admin.auth,
      );
      assert.equal(suspended.status, 200);
      env().clock.advance(24 * 60 * MINUTE + MINUTE);
      const res = await helpdeskEvent(env(), slug, reply(topic.id, "Back again."));
      assert.equal(res.status, 200);
      assert.deepEqual((await replies(topic.id, asker)).at(-1), [supportId, true, "Back again.\n\n— Ana"]);
    });

    test("an agent mapped to a staff account still answers while the Support team account is demoted", async () => {
      const { slug, admin, staff, asker, topic, supportId } = await withSupportAccount();
      const demoted = await env().api.put(
        `/api/v1/communities/${slug}/members/${supportId}`,
        { role: "member" },
        admin.auth,
      );
      assert.equal(demoted.status, 200);
      const res = await helpdeskEvent(
        env(),
        slug,
        reply(topic.id, "I checked your line.", { agentEmail: staff.email }),
      );
      assert.equal(res.status, 200);
      assert.deepEqual((await replies(topic.id, asker)).at(-1), [staff.id, true, "I checked your line."]);
    });

    test("an agent whose staff account is suspended neither answers nor closes as it, nor as the Support team", async () => {
      const { slug, admin, staff, asker, topic, supportId } = await withSupportAccount();
      const suspension = `/api/v1/communities/${slug}/members/${staff.id}/suspension`;
      const suspended = await env().api.put(suspension, { days: 3, reason: "Under review" }, admin.auth);
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      const before = await replies(topic.id, asker);

      const answer = await helpdeskEvent(
        env(),
        slug,
        reply(topic.id, "Closing this as fixed.", { agentEmail: staff.email, solves: true }),
      );
      assert.equal(answer.status, 409);
      assert.match(answer.body.error.message, /agent's staff account .* is suspended until/);
      const close = await helpdeskEvent(env(), slug, { ...closed(topic.id), agentEmail: staff.email });
      assert.equal(close.status, 409);
      assert.match(await lastOutcome(slug, admin), /^refused: The agent's staff account .* is suspended until/);
      assert.deepEqual(await replies(topic.id, asker), before, "nothing posted, in the agent's name or the team's");
      assert.equal(await statusOf(env(), topic.id, asker), "escalated", "the case stays open");

      assert.equal((await env().api.delete(suspension, admin.auth)).status, 200);
      env().clock.advance(MINUTE);
      assert.equal((await helpdeskEvent(env(), slug, { ...closed(topic.id), agentEmail: staff.email })).status, 200);
      assert.notEqual(supportId, staff.id);
    });
  },
  { ...roomyLimits, webhookAllowPrivateNetworks: true },
);
