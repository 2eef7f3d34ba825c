import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../../src/core/config.ts";
import { buildApp } from "../../src/app/app.ts";
import { TEST_PASSWORD, buildUser, describeEachDatabase } from "../helpers.ts";

let sequence = 0;
const unknownEmail = () => `nobody${++sequence}@example.test`;

test("TRUST_PROXY takes a hop count or a list of proxy addresses; true means the nearest proxy only", () => {
  const trust = (value: string | undefined) => loadConfig({ TRUST_PROXY: value }).trustProxy;
  assert.equal(trust(undefined), false);
  assert.equal(trust("false"), false);
  assert.equal(trust("true"), 1);
  assert.equal(trust("2"), 2);
  assert.deepEqual(trust("10.0.0.0/8"), ["10.0.0.0/8"]);
  assert.deepEqual(trust("10.0.0.0/8, 192.168.1.7,fd00::/8"), ["10.0.0.0/8", "192.168.1.7", "fd00::/8"]);
  for (const bad of ["yes please", "10.0.0.0/33", "10.0.0/8", "::1/129", "10.0.0.1/8/8"]) {
    assert.throws(() => trust(bad), /TRUST_PROXY/, bad);
  }
});

describeEachDatabase(
  "the client IP behind proxies",
  (env) => {
    const apps: FastifyInstance[] = [];
    const appBehind = async (value: string) => {
      const app = await buildApp(env().deps, { trustProxy: loadConfig({ TRUST_PROXY: value }).trustProxy });
      apps.push(app);
      return app;
    };
    after(async () => {
      for (const app of apps) await app.close();
    });
    before(() => env().clock.advance(3600_000));

    /** Failed logins (a new email each time, so no account locks) from a proxy at 10.0.0.2. */
    async function loginsFrom(app: FastifyInstance, forwardedFor: (i: number) => string, times: number) {
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) {
        const res = await app.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          remoteAddress: "10.0.0.2",
          headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor(i) },
          payload: JSON.stringify({ email: unknownEmail(), password: "wrong-password" }),
        });
        statuses.push(res.statusCode);
      }
      return statuses;
    }

    for (const setting of ["true", "1", "10.0.0.0/8"]) {
      test(`TRUST_PROXY=${setting}: a client cannot choose its IP with a forged X-Forwarded-For`, async () => {
        env().clock.advance(60_000);
        const app = await appBehind(setting);
        // The attacker prepends a new address each time; the proxy appends the one it saw.
        const client = `203.0.113.${apps.length}`;
        const statuses = await loginsFrom(app, (i) => `198.51.100.${i}, ${client}`, 4);
        assert.deepEqual(statuses, [401, 401, 401, 429], "one client, one login limit");
      });
    }
  },
  { rateLimits: { ...loadConfig({}).rateLimits, login: { max: 3, windowMs: 60_000 } } },
);

describeEachDatabase(
  "per-account login lockout",
  (env) => {
    const login = (email: string, password: string) => env().api.post("/api/v1/auth/login", { email, password });

    test("failed logins to one account lock it with a growing wait, whatever the IP; a success resets it", async () => {
      const user = await buildUser(env());
      // Five failures lock the account for 30 s.
      for (let i = 0; i < 5; i++)
        assert.equal((await login(user.email, "wrong-password")).status, 401, `attempt ${i + 1}`);
      const locked = await login(user.email, TEST_PASSWORD);
      assert.equal(locked.status, 429, "even the right password waits");
      assert.equal(locked.body.error.code, "rate_limited");
      env().clock.advance(30_001);
      // Another failure doubles the wait.
      assert.equal((await login(user.email, "wrong-password")).status, 401);
      env().clock.advance(30_001);
      assert.equal((await login(user.email, TEST_PASSWORD)).status, 429);
      env().clock.advance(30_000);
      assert.equal((await login(user.email, TEST_PASSWORD)).status, 200);
      // A success forgets the failures: four more do not lock it.
      for (let i = 0; i < 4; i++) assert.equal((await login(user.email, "wrong-password")).status, 401);
      assert.equal((await login(user.email, TEST_PASSWORD)).status, 200);
    });

    test("wrong passwords sent at once are checked no more often than one after another: 5, then 429", async () => {
      const user = await buildUser(env());
      const statuses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          env().app.inject({
            method: "POST",
            url: "/api/v1/auth/login",
            remoteAddress: `127.0.0.${10 + i}`,
            headers: { "content-type": "application/json" },
            payload: JSON.stringify({ email: user.email, password: "wrong-password" }),
          }),
        ),
      );
      const counts = (code: number) => statuses.filter((r) => r.statusCode === code).length;
      assert.deepEqual([counts(401), counts(429)], [5, 25]);
      assert.equal((await login(user.email, TEST_PASSWORD)).status, 429, "locked like five in a row");
    });

    test("an unknown email locks the same way, so the lockout does not reveal accounts", async () => {
      const email = unknownEmail();
      for (let i = 0; i < 5; i++) assert.equal((await login(email, "wrong-password")).status, 401);
      assert.equal((await login(email, "wrong-password")).status, 429);
    });
  },
  { rateLimits: { ...loadConfig({}).rateLimits, login: { max: 1000, windowMs: 60_000 } } },
);
