import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";

// Accounts registered from the same client are linked as the per-IP limits count clients: an IPv6
// client by its /64 (it holds all of it), an IPv4 address also when written IPv4-mapped.
describeEachDatabase("linked accounts across the addresses of one client", (env) => {
  test("another address of the same /64, or the IPv4-mapped form, links; another /64 does not", async () => {
    const { slug, community } = await buildCommunity(env());
    const pairs = [
      ["2001:db8:5:6::1", "2001:db8:5:6::2f", 403],
      ["::ffff:198.51.100.9", "198.51.100.9", 403],
      ["2001:db8:5:6::1", "2001:db8:5:7::1", 200],
    ] as const;
    for (const [mainIp, sockIp, status] of pairs) {
      const main = await buildUser(env(), { signupIp: mainIp });
      const sock = await buildUser(env(), { signupIp: sockIp });
      for (const user of [main, sock]) await addMember(env(), community.id, user.id, "member");
      const topic = await buildTopic(env(), slug, main);
      const vote = await env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, sock.auth);
      assert.equal(vote.status, status, `${mainIp} and ${sockIp}: ${JSON.stringify(vote.body)}`);
    }
  });
});
