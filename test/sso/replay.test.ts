import { after, test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { startProvider, throughProvider } from "./provider.ts";
import { APP, callback, cookieFrom, start } from "./support.ts";

const idp = await startProvider(APP);
after(() => idp.close());

describeEachDatabase(
  "single sign-on: a callback replayed",
  (env) => {
    test("a code the provider already redeemed is a broken exchange (400), not an outage (502)", async () => {
      const { authorization, pending } = await start(env());
      const back = await throughProvider(authorization.href, "browser", APP);
      const first = await callback(env(), back, pending);
      assert.equal(first.statusCode, 303);
      // The same answer again, with the pending login a copy of the cookie still holds.
      const replay = await callback(env(), back, pending);
      assert.equal(replay.statusCode, 400);
      assert.match(replay.body, /data-reason="code"/);
      assert.match(replay.body, /Acme ID did not accept this sign-in: it was already used or took too long/);
      assert.equal(cookieFrom(replay.headers, "cs_session"), undefined);
    });
  },
  { baseUrl: APP, oidcProviders: [idp.config] },
);
