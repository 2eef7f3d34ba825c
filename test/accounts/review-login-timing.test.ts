import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { describeEachDatabase } from "../helpers.ts";
import { createPasswordlessUser } from "../../src/accounts/accounts.service.ts";
import { uniqueEmail } from "./support.ts";

describeEachDatabase("login timing", (env) => {
  // Every request comes from 127.0.0.1: each test starts in fresh rate-limit windows.
  beforeEach(() => env().clock.advance(2 * 3600_000));

  /** A refused login for the address, in milliseconds. */
  async function refusal(email: string): Promise<number> {
    const started = performance.now();
    const res = await env().api.post("/api/v1/auth/login", { email, password: "not-the-password" });
    const took = performance.now() - started;
    assert.equal(res.status, 401);
    return took;
  }

  test("an account without a password (single sign-on) answers no sooner than an unknown address", async () => {
    const sso = uniqueEmail();
    await createPasswordlessUser(env().deps, { email: sso, name: "Sina Sso", locale: null });
    const unknownEmail = uniqueEmail();
    // Alternated, and the fastest of each kept: a loaded machine slows both alike.
    let unknown = Number.POSITIVE_INFINITY;
    let passwordless = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      unknown = Math.min(unknown, await refusal(unknownEmail));
      passwordless = Math.min(passwordless, await refusal(sso));
    }
    // Without a hash to check, a refusal took a few queries (~1 ms) against a whole scrypt (~50 ms):
    // a factor of 50, where equal work leaves well within 5.
    assert.ok(
      passwordless > unknown / 5,
      `the account's refusal took ${passwordless.toFixed(1)} ms, an unknown address's ${unknown.toFixed(1)} ms`,
    );
  });
});
