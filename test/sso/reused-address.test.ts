import { after, test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { accountForLogin } from "../../src/sso/sso.service.ts";
import { SsoFailure } from "../../src/sso/sso.client.ts";
import { startProvider } from "./provider.ts";
import { APP } from "./support.ts";

const idp = await startProvider(APP);
after(() => idp.close());

// A provider may give an address someone used to have to a new person (a reused mailbox). The
// account already linked to the first person's identity there must not go to the second.
describeEachDatabase(
  "single sign-on: an address the provider gave to someone else",
  (env) => {
    test("an account linked at the provider is not linked again by its address, to another identity", async () => {
      const claims = { email: "ria.reuse@customers.test", email_verified: true, name: "Ria" };
      const first = await accountForLogin(env().deps, idp.config, { ...claims, sub: "ria-2019" });
      await assert.rejects(
        accountForLogin(env().deps, idp.config, { ...claims, sub: "someone-2026" }),
        (e: unknown) => e instanceof SsoFailure && e.reason === "email_linked",
      );
      const identities = await env()
        .deps.db.selectFrom("userIdentities")
        .select(["subject", "userId"])
        .where("provider", "=", idp.config.name)
        .execute();
      assert.deepEqual(identities, [{ subject: "ria-2019", userId: first }], "the second identity is linked nowhere");
      assert.equal(await accountForLogin(env().deps, idp.config, { ...claims, sub: "ria-2019" }), first);

      // An account with no identity at the provider is still linked by its verified address.
      const other = { email: "olaf.other@customers.test", email_verified: true, name: "Olaf" };
      const olaf = await accountForLogin(env().deps, idp.config, { ...other, sub: "olaf-1" });
      assert.ok(olaf !== first);
    });
  },
  { baseUrl: APP, oidcProviders: [idp.config] },
);
