import { after, test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { startProvider, throughProvider } from "./provider.ts";
import { APP, callback, cookieFrom, start } from "./support.ts";

const idp = await startProvider(APP);
after(() => idp.close());

describeEachDatabase(
  "single sign-on: the callback's parameters and the path to return to",
  (env) => {
    test("a callback without a single code, or naming another issuer, is a forged answer (400), no outage", async () => {
      const cases: [string, (back: URL) => void, string][] = [
        ["no code", (back) => back.searchParams.delete("code"), "code"],
        ["an empty code", (back) => back.searchParams.set("code", ""), "code"],
        ["two codes", (back) => back.searchParams.append("code", "another-code"), "code"],
        ["another issuer", (back) => back.searchParams.set("iss", "http://127.0.0.1:9/evil"), "state"],
        ["no issuer", (back) => back.searchParams.delete("iss"), "state"],
        ["two states", (back) => back.searchParams.append("state", "x"), "state"],
      ];
      for (const [label, change, reason] of cases) {
        const { authorization, pending } = await start(env());
        const back = await throughProvider(authorization.href, "browser", APP);
        assert.ok(back.searchParams.get("iss"), "the provider names itself in its answer");
        change(back);
        const res = await callback(env(), back, pending);
        assert.equal(res.statusCode, 400, label);
        assert.match(res.body, new RegExp(`data-reason="${reason}"`), label);
        assert.equal(cookieFrom(res.headers, "cs_session"), undefined, label);
      }
    });

    test("a path to return to too long for the pending login's cookie goes home, and the login works", async () => {
      const next = `/c/somewhere?q=${"a".repeat(5000)}`;
      const { authorization, pending } = await start(env(), next);
      // Browsers drop a cookie over 4096 bytes: the login would then fail as one never started.
      assert.ok(pending.length <= 4096, `the cookie has ${pending.length} bytes`);
      const back = await throughProvider(authorization.href, "browser", APP);
      const res = await callback(env(), back, pending);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, "/");

      const short = await start(env(), "/c/somewhere?q=router");
      const again = await callback(
        env(),
        await throughProvider(short.authorization.href, "browser", APP),
        short.pending,
      );
      assert.equal(again.headers.location, "/c/somewhere?q=router");
    });
  },
  { baseUrl: APP, oidcProviders: [idp.config] },
);
