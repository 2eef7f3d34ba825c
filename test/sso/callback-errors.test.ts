import { after, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { describeEachDatabase } from "../helpers.ts";
import { startProvider, throughProvider } from "./provider.ts";
import { APP, callback, cookieFrom, start } from "./support.ts";

const idp = await startProvider(APP);
after(() => idp.close());

describeEachDatabase(
  "single sign-on: errors that are not the provider's",
  (env) => {
    test("a failure of our own after the provider answered is no 'provider unreachable' page", async () => {
      const { authorization, pending } = await start(env());
      const back = await throughProvider(authorization.href, "browser", APP);
      // The provider did its part; our database then fails (the identities' table is away).
      await sql`alter table user_identities rename to user_identities_away`.execute(env().deps.db);
      try {
        const res = await callback(env(), back, pending);
        assert.equal(res.statusCode, 500);
        assert.doesNotMatch(res.body, /We could not complete the sign-in with Acme ID/);
        assert.equal(cookieFrom(res.headers, "cs_session"), undefined);
      } finally {
        await sql`alter table user_identities_away rename to user_identities`.execute(env().deps.db);
      }
    });
  },
  { baseUrl: APP, oidcProviders: [idp.config] },
);
