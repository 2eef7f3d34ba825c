import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import type { OidcProviderConfig } from "../../src/core/config.ts";

/** Only named: these tests never log in, so nothing is asked of the issuer. */
const ACME: OidcProviderConfig = {
  name: "acme",
  label: "Acme ID",
  issuer: "http://127.0.0.1:1",
  clientId: "crowdservice",
  scopes: "openid email",
};

const FIELDS = { provider: "acme", toPost: "1", toApply: "0", claim: "", claimValue: "" };

/** A community whose admin reads the pages in German, and their browser on the settings page. */
async function germanAdmin(env: TestEnv) {
  const { slug, admin } = await buildCommunity(env);
  await env.deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", admin.id).execute();
  return { slug, admin, browser: await browse(env, admin) };
}

const fieldError = (body: string, field: string) =>
  new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(body)?.[1];

describeEachDatabase(
  "single sign-on settings: refusals in the admin's language",
  (env) => {
    test("a value without a claim, or a provider that is not configured, is explained by the field", async () => {
      const { slug, admin, browser } = await germanAdmin(env());
      const valueAlone = await browser.submit(`/c/${slug}/admin/sso`, { ...FIELDS, claimValue: "tv" });
      assert.equal(valueAlone.status, 422);
      assert.equal(fieldError(valueAlone.body, "claim"), "Nenne die Angabe (Claim), deren Wert geprüft wird.");
      assert.match(valueAlone.body, /name="claimValue"[^>]*value="tv"/, "what was typed is kept");

      const unknown = await browser.submit(`/c/${slug}/admin/sso`, { ...FIELDS, provider: "gone" });
      assert.equal(unknown.status, 422);
      assert.equal(fieldError(unknown.body, "provider"), "Ein Anmeldedienst dieses Namens ist nicht eingerichtet.");

      // The API keeps its English field messages.
      const api = await env().api.put(
        `/api/v1/communities/${slug}/sso`,
        { provider: "acme", toPost: true, toApply: false, claim: null, claimValue: "tv" },
        admin.auth,
      );
      assert.equal(api.status, 422);
      assert.equal(api.body.error.fields.claim, "Name the claim whose value is checked.");
    });
  },
  { oidcProviders: [ACME] },
);

describeEachDatabase(
  "single sign-on settings without any provider",
  (env) => {
    test("requiring a login is refused in the admin's language until a provider is configured", async () => {
      const { slug, browser } = await germanAdmin(env());
      const refused = await browser.submit(`/c/${slug}/admin/sso`, { ...FIELDS, provider: "" });
      assert.equal(refused.status, 422);
      assert.equal(fieldError(refused.body, "provider"), "Richte zuerst einen Anmeldedienst ein (OIDC_PROVIDERS).");
    });
  },
  { oidcProviders: [] },
);
