import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { isInternalAddress } from "../../src/lib/outbound-http.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask, roomyLimits } from "../routing/support.ts";
import { startReceiver, type Receiver } from "./support.ts";

// Nothing here connects beyond loopback: internal addresses are refused before any connection,
// and the only receiver listens on 127.0.0.1.

test("internal addresses are recognised in every form, IPv4 and IPv6", () => {
  const internal = [
    "127.0.0.1",
    "127.255.255.254",
    "0.0.0.0",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "198.18.0.1",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "2002:7f00:1::",
    "not an address",
  ];
  const external = ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"];
  assert.deepEqual(
    internal.filter((a) => !isInternalAddress(a)),
    [],
  );
  assert.deepEqual(
    external.filter((a) => isInternalAddress(a)),
    [],
  );
});

describeEachDatabase(
  "webhook server-side request forgery",
  (env) => {
    let receiver: Receiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(() => receiver.close());
    const port = () => new URL(receiver.url).port;

    test("an admin cannot point the webhook at loopback, private, link-local, multicast or unspecified addresses", async () => {
      const { slug, admin } = await buildCommunity(env());
      const url = `/api/v1/communities/${slug}/webhook`;
      for (const target of [
        "http://127.0.0.1:5432/",
        `http://127.0.0.1:${port()}/hook`,
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0:22/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[::1]:6379/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        `http://localhost:${port()}/`,
        "http://LOCALHOST./",
        "http://admin.localhost/",
      ]) {
        const res = await env().api.put(url, { url: target }, admin.auth);
        assert.equal(res.status, 422, target);
        assert.ok(res.body.error.fields.url, target);
      }
      assert.equal((await env().api.put(url, { url: "https://helpdesk.example.com/hook" }, admin.auth)).status, 200);
    });

    test("a name resolving to an internal address, or one saved earlier, is refused when the delivery connects", async () => {
      for (const target of [`http://localhost:${port()}/hook`, `http://127.0.0.1:${port()}/hook`]) {
        const { slug, community, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
        // Saved before the guard existed, or a name whose DNS now answers with an internal address.
        await env()
          .deps.db.insertInto("escalationWebhooks")
          .values({
            communityId: community.id,
            url: target,
            secret: "a-shared-secret-for-tests-0123456789",
            active: 1,
            timeoutSeconds: 5,
            updatedAt: env().clock.now(),
          })
          .execute();
        const before = receiver.connections();
        const topic = await ask(env(), slug, members.member[0]);
        await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, members.staff[0].auth);
        await drainJobs(env());
        assert.equal(receiver.connections(), before, `${target}: no connection was made`);
        const [delivery] = (
          await env().api.get(`/api/v1/communities/${slug}/webhook/deliveries`, members.staff[0].auth)
        ).body.deliveries;
        assert.deepEqual(
          [delivery.status, delivery.outcome, delivery.lastError, delivery.responseStatus],
          ["pending", "unreachable", "The receiver could not be reached.", null],
          target,
        );
      }
    });
  },
  roomyLimits,
);

describeEachDatabase(
  "webhook to a private network, allowed by the operator",
  (env) => {
    let receiver: Receiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(() => receiver.close());

    test("WEBHOOK_ALLOW_PRIVATE_NETWORKS=true lets an on-premises help desk on loopback receive deliveries", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const target = receiver.url.replace("127.0.0.1", "localhost");
      assert.equal(
        (await env().api.put(`/api/v1/communities/${slug}/webhook`, { url: target }, admin.auth)).status,
        200,
      );
      const topic = await ask(env(), slug, members.member[0]);
      await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, members.staff[0].auth);
      await drainJobs(env());
      assert.equal(receiver.received.length, 1);
    });
  },
  { ...roomyLimits, webhookAllowPrivateNetworks: true },
);
