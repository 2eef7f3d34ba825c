import { after, test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase, type TestEnv } from "../helpers.ts";
import { accountForLogin } from "../../src/sso/sso.service.ts";
import { SsoFailure } from "../../src/sso/sso.client.ts";
import { startProvider } from "./provider.ts";
import { APP, cookieFrom, logIn } from "./support.ts";

const idp = await startProvider(APP);
after(() => idp.close());

const accountsWith = (env: TestEnv, email: string) =>
  env.deps.db.selectFrom("users").select("id").where("email", "=", email).execute();

describeEachDatabase(
  "single sign-on: the provider's email claim",
  (env) => {
    test("an address that cannot receive email neither creates an account nor breaks the login page", async () => {
      const res = await logIn(env(), "garbled");
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /data-reason="email_invalid"/);
      assert.match(res.body, /Acme ID gave us an email address that cannot receive email/);
      assert.equal(cookieFrom(res.headers, "cs_session"), undefined);
      assert.deepEqual(await accountsWith(env(), "@customers.test"), []);
    });

    test("the use case refuses what signing up refuses, and keeps the address it accepts normalised", async () => {
      for (const address of ["not an address", "@customers.test", "x".repeat(250) + "@customers.test"]) {
        const claims = { sub: `bad-${address.length}`, email: address, email_verified: true, name: "Bad" };
        await assert.rejects(
          accountForLogin(env().deps, idp.config, claims),
          (e: unknown) => e instanceof SsoFailure && e.reason === "email_invalid",
          address,
        );
        assert.deepEqual(await accountsWith(env(), address), [], address);
      }
      const missing = { sub: "no-email", email: " ", email_verified: true };
      await assert.rejects(
        accountForLogin(env().deps, idp.config, missing),
        (e: unknown) => e instanceof SsoFailure && e.reason === "email_missing",
      );
      const id = await accountForLogin(env().deps, idp.config, {
        sub: "upper",
        email: " Ulla.Upper@Customers.test ",
        email_verified: true,
      });
      assert.deepEqual(
        (await accountsWith(env(), "ulla.upper@customers.test")).map((u) => u.id),
        [id],
      );
    });
  },
  { baseUrl: APP, oidcProviders: [idp.config] },
);
