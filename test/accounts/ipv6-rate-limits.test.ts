import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { clientNetwork } from "../../src/lib/rate-limit.ts";
import { describeEachDatabase } from "../helpers.ts";
import { uniqueEmail } from "./support.ts";

test("a per-IP limit counts an IPv4 address (also IPv4-mapped) as it is, an IPv6 address by its /64", () => {
  assert.equal(clientNetwork("198.51.100.7"), "198.51.100.7");
  assert.equal(clientNetwork("::ffff:198.51.100.7"), "198.51.100.7");
  assert.equal(clientNetwork("::FFFF:c633:6407"), "198.51.100.7");
  assert.equal(clientNetwork("2001:db8:1:2::1"), "2001:db8:1:2::/64");
  assert.equal(clientNetwork("2001:DB8:0001:0002:ffff:1:2:3"), "2001:db8:1:2::/64");
  assert.equal(clientNetwork("2001:db8::"), "2001:db8:0:0::/64");
  assert.equal(clientNetwork("1::2:3:4:5:6:7"), "1:0:2:3::/64");
  assert.equal(clientNetwork("64:ff9b::198.51.100.7"), "64:ff9b:0:0::/64");
  assert.equal(clientNetwork("fe80::1%eth0"), "fe80:0:0:0::/64");
});

const limit = { max: 2, windowMs: 60_000 };

describeEachDatabase(
  "per-IP limits and IPv6 clients",
  (env) => {
    const post = (url: string, remoteAddress: string, body: object) =>
      env().app.inject({
        method: "POST",
        url,
        remoteAddress,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(body),
      });
    const routes: Record<string, (address: string) => ReturnType<typeof post>> = {
      login: (address) => post("/api/v1/auth/login", address, { email: uniqueEmail(), password: "wrong-password" }),
      signup: (address) =>
        post("/api/v1/auth/signup", address, { email: uniqueEmail(), password: "s3cret-enough", name: "Ivy Six" }),
      "password reset": (address) => post("/api/v1/auth/password-reset", address, { email: uniqueEmail() }),
    };
    const statuses = async (send: (address: string) => ReturnType<typeof post>, addresses: string[]) => {
      const codes: number[] = [];
      for (const address of addresses) codes.push((await send(address)).statusCode);
      return codes;
    };

    for (const [name, send] of Object.entries(routes)) {
      test(`${name}: a new address in the same /64 does not get a fresh limit; another /64 does`, async () => {
        env().clock.advance(3600_000); // a new window
        const codes = await statuses(send, ["2001:db8:a:1::1", "2001:db8:a:1::2", "2001:db8:a:1:ffff::3"]);
        assert.equal(codes[2], 429, `third from one /64: ${codes}`);
        assert.notEqual((await send("2001:db8:a:2::1")).statusCode, 429, "another /64 is another client");
      });

      test(`${name}: an IPv4 client written IPv4-mapped is the same client`, async () => {
        env().clock.advance(3600_000); // a new window
        const codes = await statuses(send, ["203.0.113.9", "::ffff:203.0.113.9", "203.0.113.9"]);
        assert.equal(codes[2], 429, `${codes}`);
        assert.notEqual((await send("::ffff:203.0.113.10")).statusCode, 429, "mapped addresses are not one IPv6 /64");
      });
    }
  },
  { rateLimits: { ...loadConfig({}).rateLimits, login: limit, signup: limit, passwordReset: limit } },
);
