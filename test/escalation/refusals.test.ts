import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { roomyLimits } from "../routing/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { HELPDESK_SECRET, helpdeskEvent, startReceiver, type Receiver } from "./support.ts";

describeEachDatabase(
  "escalation: refusals that write nothing, and topics staff cannot read",
  (env) => {
    let hook: Receiver;
    let moved: Receiver;
    before(async () => {
      hook = await startReceiver();
      moved = await startReceiver();
    });
    after(() => Promise.all([hook.close(), moved.close()]));
    const replyCount = async (topicId: number) =>
      (await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topicId).execute()).length;

    test("resolving an idea with 'accept' is 422 before any reply is posted; the case stays open for a retry", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const staff = members.staff[0];
      const idea = await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Dark mode please" });
      assert.equal((await env().api.post(`/api/v1/topics/${idea.id}/escalate`, {}, staff.auth)).status, 200);
      const body = { resolution: "public", body: "Thanks, planned for later.", accept: true };
      for (let i = 0; i < 2; i++) {
        const res = await env().api.post(`/api/v1/topics/${idea.id}/resolve`, body, staff.auth);
        assert.equal(res.status, 422);
        assert.ok(res.body.error.fields.accept);
      }
      assert.equal(await replyCount(idea.id), 0);
      const plain = await env().api.post(`/api/v1/topics/${idea.id}/resolve`, { ...body, accept: false }, staff.auth);
      assert.equal(plain.status, 200);
      assert.equal(await replyCount(idea.id), 1);
    });

    test("a help-desk reply that 'solves' an idea is 422 and posts nothing, however often it is sent", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1 } });
      await env().api.put(
        `/api/v1/communities/${slug}/webhook`,
        { url: hook.url, secret: HELPDESK_SECRET, active: false },
        admin.auth,
      );
      const idea = await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Dark mode please" });
      const event = { type: "ticket.reply", topicId: idea.id, ticketId: "4711", body: "We are on it.", solves: true };
      assert.equal((await helpdeskEvent(env(), slug, event, "same-delivery")).status, 422);
      assert.equal((await helpdeskEvent(env(), slug, event, "same-delivery")).status, 422);
      assert.equal(await replyCount(idea.id), 0);
    });

    test("a signed help-desk request sent again under a new delivery id is a duplicate", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1 } });
      await env().api.put(
        `/api/v1/communities/${slug}/webhook`,
        { url: hook.url, secret: HELPDESK_SECRET, active: false },
        admin.auth,
      );
      const topic = await buildTopic(env(), slug, members.member[0]);
      const event = { type: "ticket.reply", topicId: topic.id, ticketId: "7", body: "Please restart the modem." };
      assert.equal((await helpdeskEvent(env(), slug, event, "desk-1")).status, 200);
      assert.equal((await helpdeskEvent(env(), slug, event, "replayed-2")).status, 200);
      assert.equal(await replyCount(topic.id), 1, "the replay posted nothing");
      env().clock.advance(1000); // signed again, at a new time: a new request
      assert.equal((await helpdeskEvent(env(), slug, event, "desk-3")).status, 200);
      assert.equal(await replyCount(topic.id), 2);
    });

    test("a merged topic takes no help-desk event: 404, nothing linked", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
      await env().api.put(
        `/api/v1/communities/${slug}/webhook`,
        { url: hook.url, secret: HELPDESK_SECRET, active: false },
        admin.auth,
      );
      const copy = await buildTopic(env(), slug, members.member[0], { title: "Router red light again" });
      const original = await buildTopic(env(), slug, members.member[0], { title: "Router shows a red light" });
      const merged = await env().api.post(
        `/api/v1/topics/${copy.id}/merge`,
        { intoTopicId: original.id },
        members.moderator[0].auth,
      );
      assert.equal(merged.status, 200);
      for (const type of ["ticket.linked", "ticket.status", "ticket.closed"])
        assert.equal(
          (await helpdeskEvent(env(), slug, { type, topicId: copy.id, ticketId: "9", status: "open" })).status,
          404,
          type,
        );
      const tickets = await env()
        .deps.db.selectFrom("helpdeskTickets")
        .select("topicId")
        .where("topicId", "=", copy.id)
        .execute();
      assert.deepEqual(tickets, []);
    });

    test("help-desk replies arriving together make one Support team account", async () => {
      const { slug, members, admin, community } = await buildCommunity(env(), { members: { member: 1 } });
      await env().api.put(
        `/api/v1/communities/${slug}/webhook`,
        { url: hook.url, secret: HELPDESK_SECRET, active: false },
        admin.auth,
      );
      const topic = await buildTopic(env(), slug, members.member[0]);
      const statuses = await Promise.all(
        [1, 2, 3].map(async (i) => {
          const event = { type: "ticket.reply", topicId: topic.id, ticketId: "1", body: `Agent reply ${i}` };
          return (await helpdeskEvent(env(), slug, event)).status;
        }),
      );
      assert.deepEqual(statuses, [200, 200, 200]);
      const accounts = await env()
        .deps.db.selectFrom("users")
        .innerJoin("memberships", "memberships.userId", "users.id")
        .select("users.id")
        .where("users.name", "=", "Support team")
        .where("memberships.communityId", "=", community.id)
        .execute();
      assert.equal(accounts.length, 1);
      assert.equal(await replyCount(topic.id), 3);
    });

    test("the case.resolved payload shows the topic as the resolution left it", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      await env().api.put(`/api/v1/communities/${slug}/webhook`, { url: hook.url }, admin.auth);
      const topic = await buildTopic(env(), slug, members.member[0]);
      await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, members.staff[0].auth);
      await drainJobs(env());
      hook.received.splice(0);
      const resolved = await env().api.post(
        `/api/v1/topics/${topic.id}/resolve`,
        { resolution: "public", body: "We reset your line.", accept: true },
        members.staff[0].auth,
      );
      assert.equal(resolved.status, 200);
      await drainJobs(env());
      const payload = hook.received.map((r) => JSON.parse(r.body)).find((b) => b.event === "case.resolved");
      assert.deepEqual([payload.topic.status, payload.topic.replyCount], ["solved", 1]);
    });

    test("two staff resolving, or resolving and de-escalating, at once: one wins, one reply, one case.resolved", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1, staff: 2 } });
      await env().api.put(`/api/v1/communities/${slug}/webhook`, { url: hook.url }, admin.auth);
      const [first, second] = members.staff;
      const resolve = (topicId: number, who: typeof first, body: string) =>
        env().api.post(`/api/v1/topics/${topicId}/resolve`, { resolution: "public", body, accept: true }, who.auth);
      const topic = await buildTopic(env(), slug, members.member[0]);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, first.auth)).status, 200);
      await drainJobs(env());
      hook.received.splice(0);
      const both = await Promise.all([
        resolve(topic.id, first, "We reset your line."),
        resolve(topic.id, second, "Your router needed a restart."),
      ]);
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
      assert.equal(await replyCount(topic.id), 1);
      const accepted = await env()
        .deps.db.selectFrom("topics")
        .select("acceptedReplyId")
        .where("id", "=", topic.id)
        .executeTakeFirstOrThrow();
      assert.equal(accepted.acceptedReplyId, both.find((r) => r.status === 200)!.body.replyId);
      await drainJobs(env());
      const events = hook.received.map((r) => JSON.parse(r.body).event).sort();
      assert.deepEqual(events, ["case.resolved", "topic.solved"]);

      const other = await buildTopic(env(), slug, members.member[0], { title: "Another question for staff" });
      assert.equal((await env().api.post(`/api/v1/topics/${other.id}/escalate`, {}, first.auth)).status, 200);
      const mixed = await Promise.all([
        env().api.delete(`/api/v1/topics/${other.id}/escalate`, second.auth),
        resolve(other.id, first, "Handled by staff."),
      ]);
      assert.deepEqual(mixed.map((r) => r.status).sort(), [200, 409]);
      const audits = await env()
        .deps.db.selectFrom("auditLog")
        .select("action")
        .where("targetType", "=", "topic")
        .where("targetId", "=", other.id)
        .where("action", "in", ["topic.deescalate", "case.resolve"])
        .execute();
      assert.equal(audits.length, 1, "the queue is left once");
      assert.equal(await replyCount(other.id), mixed[1].status === 200 ? 1 : 0);
      await drainJobs(env());
      hook.received.splice(0);
    });

    test("the staff queue leaves out hidden and merged topics, which staff cannot open", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1, moderator: 1 } });
      const [asker] = members.member;
      const [staff] = members.staff;
      const [mod] = members.moderator;
      const hidden = await buildTopic(env(), slug, asker, { title: "Abusive topic title here" });
      const copy = await buildTopic(env(), slug, asker, { title: "Duplicate of another one" });
      const original = await buildTopic(env(), slug, asker, { title: "The original question" });
      const kept = await buildTopic(env(), slug, asker, { title: "A question staff should answer" });
      for (const t of [hidden, copy, kept])
        assert.equal((await env().api.post(`/api/v1/topics/${t.id}/escalate`, {}, staff.auth)).status, 200);
      assert.equal(
        (await env().api.post(`/api/v1/posts/topic/${hidden.id}/hide`, { reason: "abuse" }, mod.auth)).status,
        200,
      );
      const merged = await env().api.post(`/api/v1/topics/${copy.id}/merge`, { intoTopicId: original.id }, mod.auth);
      assert.equal(merged.status, 200);
      const queue = await env().api.get(`/api/v1/communities/${slug}/staff/queue`, staff.auth);
      assert.deepEqual(
        queue.body.items.map((i: { topic: { id: number } }) => i.topic.id),
        [kept.id],
      );
      assert.doesNotMatch((await getPage(env(), `/c/${slug}/staff`, staff)).body, /Abusive topic title here/);
    });

    test("retries stop while the webhook is paused, and go to its new address once it is moved", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
      const webhook = `/api/v1/communities/${slug}/webhook`;
      await env().api.put(webhook, { url: hook.url }, admin.auth);
      const escalate = async () => {
        const topic = await buildTopic(env(), slug, members.member[0]);
        hook.script.push({ status: 503 });
        assert.equal(
          (await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, members.staff[0].auth)).status,
          200,
        );
        await drainJobs(env());
        return topic;
      };
      hook.received.splice(0);
      const first = await escalate();
      assert.equal(hook.received.length, 1, "the first attempt failed with a 503");
      await env().api.put(webhook, { url: moved.url, active: false }, admin.auth);
      env().clock.advance(60_000);
      await drainJobs(env());
      assert.equal(hook.received.length, 1, "no retry to the old address");
      assert.equal(moved.received.length, 0, "nor to the new one while paused");
      const delivery = () =>
        env()
          .deps.db.selectFrom("webhookDeliveries")
          .select(["status", "url"])
          .where("topicId", "=", first.id)
          .executeTakeFirstOrThrow();
      assert.equal((await delivery()).status, "failed");

      await env().api.put(webhook, { url: hook.url, active: true }, admin.auth);
      const second = await escalate();
      await env().api.put(webhook, { url: moved.url }, admin.auth);
      env().clock.advance(60_000);
      await drainJobs(env());
      assert.equal(moved.received.length, 1, "the retry goes to where the webhook points now");
      assert.equal(JSON.parse(moved.received[0].body).topic.id, second.id);
    });

    test("the deadline timer does not escalate a topic hidden since it was posted", async () => {
      const { slug, members, categories, admin } = await buildCommunity(env(), {
        members: { member: 1, moderator: 1 },
      });
      await env().api.patch(
        `/api/v1/communities/${slug}/categories/${categories[0].id}`,
        { firstResponseMinutes: 10 },
        admin.auth,
      );
      await env().api.put(
        `/api/v1/communities/${slug}/webhook`,
        { url: hook.url, secret: HELPDESK_SECRET },
        admin.auth,
      );
      const spam = await buildTopic(env(), slug, members.member[0], {
        title: "Buy cheap pills now",
        categoryId: categories[0].id,
      });
      await drainJobs(env());
      const hide = await env().api.post(
        `/api/v1/posts/topic/${spam.id}/hide`,
        { reason: "spam" },
        members.moderator[0].auth,
      );
      assert.equal(hide.status, 200);
      hook.received.splice(0);
      env().clock.advance(11 * 60_000);
      await drainJobs(env());
      assert.deepEqual(
        hook.received.map((r) => JSON.parse(r.body).event),
        [],
      );
      const topic = await env()
        .deps.db.selectFrom("topics")
        .select("escalatedAt")
        .where("id", "=", spam.id)
        .executeTakeFirstOrThrow();
      assert.equal(topic.escalatedAt, null);
    });
  },
  { ...roomyLimits, webhookAllowPrivateNetworks: true },
);
