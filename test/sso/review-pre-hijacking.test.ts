import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { accountForLogin } from "../../src/sso/sso.service.ts";
import type { OidcProviderConfig } from "../../src/core/config.ts";
import { emailsTo, tokenIn, uniqueEmail } from "../accounts/support.ts";

/** Only its name matters to the use case: no provider is asked. */
const ACME: OidcProviderConfig = {
  name: "acme",
  label: "Acme ID",
  issuer: "http://127.0.0.1:1",
  clientId: "crowdservice",
  scopes: "openid email profile",
};

describeEachDatabase("single sign-on: an account registered with an address it never proved", (env) => {
  test("a move to the squatter's address asked before the provider's user claimed the account no longer works", async () => {
    // Someone signs up with Vera's address (never proving it) and asks to move the account to their own.
    const squatter = await buildUser(env(), { name: "Squatter" });
    const vera = uniqueEmail();
    await env().deps.db.updateTable("users").set({ email: vera }).where("id", "=", squatter.id).execute();
    const own = uniqueEmail();
    const move = await env().api.put("/api/v1/me/email", { email: own, password: TEST_PASSWORD }, squatter.auth);
    assert.equal(move.status, 202);
    const pending = tokenIn((await emailsTo(env(), own))[0].textBody, "/verify-email");

    // Vera logs in through her provider, which verified the address: the account is hers now.
    const claims = { sub: `vera-${squatter.id}`, email: vera, email_verified: true, name: "Vera" };
    assert.equal(await accountForLogin(env().deps, ACME, claims), squatter.id);

    const late = await env().api.post("/api/v1/auth/verify-email", { token: pending });
    assert.equal(late.status, 422, JSON.stringify(late.body));
    assert.ok(late.body.error.fields.token);
    const row = await env()
      .deps.db.selectFrom("users")
      .select("email")
      .where("id", "=", squatter.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.email, vera, "the account keeps the address its provider proved");
  });
});
