import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { buildCommunity, describeEachDatabase, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask, roomyLimits, unique } from "../routing/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { startReceiver, statusOf, type Receiver } from "./support.ts";
import { replyUpdate } from "../../src/escalation/helpdesk.outgoing.ts";

const SECRET = "the-help-desk-shares-this-secret-42";

const sign = (secret: string, timestamp: string, body: string) =>
  `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

let deliverySerial = 0;

interface Sent {
  status: number;
  body: any;
}

/** The help desk's side: signed events POSTed over real HTTP to the app listening on loopback. */
async function helpdeskPost(
  base: string,
  slug: string,
  event: Record<string, unknown>,
  options: { secret?: string; timestamp?: string; deliveryId?: string; signature?: string | null; now: number },
): Promise<Sent> {
  const body = JSON.stringify(event);
  const timestamp = options.timestamp ?? String(Math.floor(options.now / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-crowdservice-timestamp": timestamp,
    "x-crowdservice-delivery": options.deliveryId ?? `hd-${++deliverySerial}`,
  };
  const signature =
    options.signature === undefined ? sign(options.secret ?? SECRET, timestamp, body) : options.signature;
  if (signature !== null) headers["x-crowdservice-signature"] = signature;
  const res = await fetch(`${base}/api/v1/communities/${slug}/helpdesk/events`, { method: "POST", headers, body });
  return { status: res.status, body: await res.json() };
}

describeEachDatabase(
  "help-desk loop",
  (env) => {
    let receiver: Receiver;
    let base: string;
    before(async () => {
      receiver = await startReceiver();
      base = await env().app.listen({ port: 0, host: "127.0.0.1" });
    });
    after(() => receiver.close());

    const send = (
      slug: string,
      event: Record<string, unknown>,
      options: Partial<Parameters<typeof helpdeskPost>[3]> = {},
    ) => helpdeskPost(base, slug, event, { now: env().clock.now(), ...options });

    async function connected() {
      const built = await buildCommunity(env(), { categories: ["Internet"], members: { member: 2, staff: 1 } });
      const set = await env().api.put(
        `/api/v1/communities/${built.slug}/webhook`,
        { url: receiver.url, secret: SECRET },
        built.admin.auth,
      );
      assert.equal(set.status, 200);
      return {
        ...built,
        staff: built.members.staff[0],
        asker: built.members.member[0],
        other: built.members.member[1],
      };
    }

    /** What the receiver got since the last call, as parsed JSON with its signature checked. */
    function received(): { event: string; body: any }[] {
      const requests = receiver.received.splice(0);
      return requests.map((r) => {
        const timestamp = String(r.headers["x-crowdservice-timestamp"]);
        assert.equal(r.headers["x-crowdservice-signature"], sign(SECRET, timestamp, r.body));
        return { event: String(r.headers["x-crowdservice-event"]), body: JSON.parse(r.body) };
      });
    }

    const notificationKinds = async (user: TestUser) =>
      (await env().api.get("/api/v1/notifications", user.auth)).body.notifications.map((n: any) => n.kind);

    test("round trip: escalate, the help desk links a ticket, answers in public and closes it", async () => {
      receiver.received.length = 0;
      const { slug, staff, asker, other } = await connected();
      const topic = await ask(env(), slug, asker, { title: unique("Fibre box shows a red light") });
      await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
      await drainJobs(env());
      const [escalated] = received();
      assert.equal(escalated.event, "topic.escalated");
      assert.deepEqual(escalated.body.asker, { id: asker.id, name: asker.name, email: asker.email });
      assert.equal(escalated.body.topic.id, topic.id);

      // The help desk opened ticket 4711 for this customer and says so.
      const ticket = { topicId: escalated.body.topic.id, ticketId: "4711" };
      const linked = await send(slug, {
        type: "ticket.linked",
        ...ticket,
        ticketUrl: "https://desk.example/tickets/4711",
      });
      assert.deepEqual([linked.status, linked.body.ok, linked.body.duplicate], [200, true, false]);
      assert.equal((await send(slug, { type: "ticket.status", ...ticket, status: "pending" })).status, 200);
      const askerView = await getPage(env(), topic.url, asker);
      assert.match(askerView.body, /With our support team: ticket 4711, pending/);
      assert.doesNotMatch((await getPage(env(), topic.url, other)).body, /ticket 4711/);
      assert.doesNotMatch((await getPage(env(), topic.url)).body, /ticket 4711/);
      const casePage = await getPage(env(), `/c/${slug}/t/${topic.id}/case`, staff);
      assert.match(
        casePage.body,
        /<a href="https:\/\/desk.example\/tickets\/4711" rel="noopener noreferrer">4711<\/a> \(pending\)/,
      );

      // The asker adds a detail: the help desk hears it.
      const detail = unique("It started after the thunderstorm.");
      const own = (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: detail }, asker.auth)).body.reply;
      await env().api.post(`/api/v1/replies/${own.id}/comments`, { body: "And the phone line is fine." }, asker.auth);
      await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: unique("Same here!") }, other.auth);
      await drainJobs(env());
      // Deliveries may arrive in any order: they are separate jobs.
      const updates = received().sort((a, b) => a.body.update.type.localeCompare(b.body.update.type));
      assert.deepEqual(
        updates.map((u) => [u.event, u.body.update.type, u.body.update.body]),
        [
          ["topic.updated", "comment", "And the phone line is fine."],
          ["topic.updated", "reply", detail],
        ],
        "the asker's own words only",
      );
      assert.equal(updates[0].body.asker.email, asker.email);
      // A subscriber delivered twice (at least once) queues its event once.
      await replyUpdate.run(env().deps, {
        topicId: topic.id,
        communityId: topic.communityId,
        replyId: own.id,
        authorId: asker.id,
      });
      await drainJobs(env());
      assert.deepEqual(received(), []);

      // An agent with a staff account answers in public and solves it.
      const answer = await send(slug, {
        type: "ticket.reply",
        ...ticket,
        body: "We reset your line remotely; the light should turn white within 10 minutes.",
        agentEmail: staff.email.toUpperCase(),
        agentName: "Agent Smith",
        solves: true,
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const page = (await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body;
      const official = page.replies.find((r: any) => r.body.startsWith("We reset your line"));
      assert.ok(official, "the reply is on the topic");
      assert.deepEqual([official.author.id, official.official, official.accepted], [staff.id, true, true]);
      assert.equal(page.topic.status, "solved");
      await drainJobs(env());
      assert.ok((await notificationKinds(asker)).includes("reply"), "the asker is notified");
      const [solved] = received();
      assert.equal(solved.event, "topic.solved");
      assert.equal(solved.body.solution.replyId, official.id);

      const closed = await send(slug, { type: "ticket.closed", ...ticket });
      assert.equal(closed.status, 200);
      const kase = (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case;
      assert.ok(kase.resolvedAt);
      assert.equal(kase.resolution, "Ticket 4711 closed in the help desk");
      assert.deepEqual((await env().api.get(`/api/v1/communities/${slug}/staff/queue`, staff.auth)).body.items, []);
      await drainJobs(env());
      assert.deepEqual(received(), [], "a closure the help desk made is not sent back to it");

      const log = (await env().api.get(`/api/v1/communities/${slug}/helpdesk/events`, staff.auth)).body.events;
      assert.deepEqual(
        log.map((e: any) => [e.type, e.outcome.replace(/\d+/g, "N")]),
        [
          ["ticket.closed", "applied: case resolved"],
          ["ticket.reply", "applied: reply N (accepted)"],
          ["ticket.status", "applied: status pending"],
          ["ticket.linked", "applied: linked"],
        ],
      );
      assert.equal((await env().api.get(`/api/v1/communities/${slug}/helpdesk/events`, asker.auth)).status, 403);
      assert.match((await getPage(env(), `/c/${slug}/staff`, staff)).body, /Events from the help desk/);
    });

    test("an agent without a staff account answers as the Support team, signed with their name", async () => {
      const { slug, staff, asker } = await connected();
      const topic = await ask(env(), slug, asker);
      await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
      const res = await send(slug, {
        type: "ticket.reply",
        topicId: topic.id,
        ticketId: 99,
        body: "Please send us the serial number.",
        agentEmail: "nobody@desk.example",
        agentName: "Ana",
      });
      assert.equal(res.status, 200);
      const [reply] = (await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body.replies;
      assert.equal(reply.author.name, "Support team");
      assert.equal(reply.official, true);
      assert.equal(reply.body, "Please send us the serial number.\n\n— Ana");
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
      // The same account answers next time.
      await send(slug, { type: "ticket.reply", topicId: topic.id, ticketId: 99, body: "Thanks, received." });
      const authors = (await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body.replies.map(
        (r: any) => r.author.id,
      );
      assert.equal(new Set(authors).size, 1);
    });

    test("every refusal: signature, timestamp, replay, another community, bad input", async () => {
      const { slug, staff, asker } = await connected();
      const elsewhere = await connected();
      const topic = await ask(env(), slug, asker);
      const foreign = await ask(env(), elsewhere.slug, elsewhere.asker);
      const status = { type: "ticket.status", topicId: topic.id, ticketId: "1", status: "open" };
      const now = env().clock.now();

      for (const [why, options] of [
        ["no signature", { signature: null }],
        ["wrong secret", { secret: "not-the-secret-of-this-community" }],
        ["tampered signature", { signature: `sha256=${"0".repeat(64)}` }],
        ["malformed signature", { signature: "sha1=abc" }],
        ["stale timestamp", { timestamp: String(Math.floor((now - 5 * 60_000 - 1000) / 1000)) }],
        ["future timestamp", { timestamp: String(Math.floor((now + 6 * 60_000) / 1000)) }],
        ["no timestamp", { timestamp: "" }],
      ] as const) {
        const res = await send(slug, status, options);
        assert.equal(res.status, 401, why);
        assert.equal(res.body.error.code, "unauthorized", why);
      }
      assert.equal(
        (await send(slug, status, { timestamp: String(Math.floor((now - 4 * 60_000) / 1000)) })).status,
        200,
      );

      // The same delivery again changes nothing.
      const reply = {
        type: "ticket.reply",
        topicId: topic.id,
        ticketId: "1",
        body: "Answered once.",
        agentEmail: staff.email,
      };
      const first = await send(slug, reply, { deliveryId: "delivery-7" });
      assert.deepEqual([first.status, first.body.duplicate], [200, false]);
      const again = await send(slug, reply, { deliveryId: "delivery-7" });
      assert.deepEqual([again.status, again.body], [200, { ok: true, duplicate: true }]);
      assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`)).body.replies.length, 1);

      // A topic of another community, even correctly signed for this one.
      const stolen = await send(slug, { ...status, topicId: foreign.id });
      assert.equal(stolen.status, 404);
      assert.equal((await send(elsewhere.slug, { ...status, topicId: topic.id })).status, 404);
      assert.equal((await send("no-such-community", status)).status, 404);
      assert.equal(
        (await env().api.get(`/api/v1/topics/${foreign.id}`, elsewhere.asker.auth)).body.topic.status,
        "open",
      );

      // Without a webhook there is no secret: nothing verifies.
      const bare = await buildCommunity(env(), { members: { member: 1 } });
      const bareTopic = await ask(env(), bare.slug, bare.members.member[0]);
      assert.equal((await send(bare.slug, { ...status, topicId: bareTopic.id })).status, 401);

      // Signed but wrong.
      assert.equal((await send(slug, { type: "ticket.status", topicId: topic.id, ticketId: "1" })).status, 422);
      assert.equal((await send(slug, { type: "ticket.reply", topicId: topic.id, ticketId: "1" })).status, 422);
      assert.equal((await send(slug, { type: "ticket.burned", topicId: topic.id, ticketId: "1" })).status, 422);
      assert.equal((await send(slug, status, { deliveryId: "" })).status, 400);

      const outcomes = (await env().api.get(`/api/v1/communities/${slug}/helpdesk/events`, staff.auth)).body.events.map(
        (e: any) => e.outcome,
      );
      assert.ok(outcomes.includes("duplicate"));
      assert.ok(outcomes.includes("refused: no such topic in this community"));
    });

    test("staff resolve a case in public (official reply, accepted) or privately (the asker is told)", async () => {
      receiver.received.length = 0;
      const { slug, staff, asker } = await connected();
      const publicTopic = await ask(env(), slug, asker);
      const privateTopic = await ask(env(), slug, asker);
      for (const t of [publicTopic, privateTopic])
        await env().api.post(`/api/v1/topics/${t.id}/escalate`, {}, staff.auth);
      await drainJobs(env());
      received();

      const missing = await env().api.post(
        `/api/v1/topics/${publicTopic.id}/resolve`,
        { resolution: "public" },
        staff.auth,
      );
      assert.equal(missing.status, 422);
      assert.equal(
        (
          await env().api.post(
            `/api/v1/topics/${publicTopic.id}/resolve`,
            { resolution: "public", body: "x" },
            asker.auth,
          )
        ).status,
        403,
      );
      const done = await env().api.post(
        `/api/v1/topics/${publicTopic.id}/resolve`,
        { resolution: "public", body: "Your modem was replaced; it works now.", accept: true },
        staff.auth,
      );
      assert.equal(done.status, 200);
      assert.deepEqual([done.body.status, done.body.resolution], ["solved", "public"]);
      const topicNow = (await env().api.get(`/api/v1/topics/${publicTopic.id}`, asker.auth)).body;
      const official = topicNow.replies.find((r: any) => r.id === done.body.replyId);
      assert.deepEqual([official.official, official.accepted, official.author.id], [true, true, staff.id]);

      const closed = await env().api.post(
        `/api/v1/topics/${privateTopic.id}/resolve`,
        { resolution: "private", reason: "Refunded by phone" },
        staff.auth,
      );
      assert.deepEqual([closed.status, closed.body.resolution], [200, "private"]);
      await drainJobs(env());
      const kinds = await notificationKinds(asker);
      assert.ok(kinds.includes("reply"), "told of the public resolution");
      assert.ok(kinds.includes("case_private"), "told support handled it privately");
      const [n] = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications.filter(
        (x: any) => x.kind === "case_private",
      );
      assert.doesNotMatch(JSON.stringify(n), /Refunded by phone/, "the reason stays internal");

      const events = received();
      const resolved = events
        .filter((e) => e.event === "case.resolved")
        .sort((a, b) => a.body.topic.id - b.body.topic.id);
      assert.deepEqual(
        resolved.map((e) => [e.body.topic.id, e.body.resolution.resolution]),
        [
          [publicTopic.id, "public"],
          [privateTopic.id, "private"],
        ],
      );
      assert.equal(resolved[0].body.resolution.replyId, done.body.replyId);
      assert.equal(resolved[0].body.resolution.accepted, true);
      assert.equal(resolved[1].body.asker.email, asker.email);
      assert.ok(events.some((e) => e.event === "topic.solved" && e.body.topic.id === publicTopic.id));
    });
  },
  roomyLimits,
);
