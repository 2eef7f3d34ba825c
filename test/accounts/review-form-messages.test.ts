import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import { emailsTo, runResetJobs, tokenIn, uniqueEmail } from "./support.ts";

describeEachDatabase("account forms say why a value is refused", (env) => {
  test("a common password is named as such on the signup and reset forms, in the reader's language", async () => {
    const signup = await browse(env(), null, "/signup");
    const refused = await signup.submit("/signup", { email: uniqueEmail(), password: "12345678", name: "Cora Common" });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /This password is among the most common ones; choose another\./);

    const user = await buildUser(env());
    env().clock.advance(2 * 3600_000);
    assert.equal((await env().api.post("/api/v1/auth/password-reset", { email: user.email })).status, 202);
    await runResetJobs(env());
    const token = tokenIn((await emailsTo(env(), user.email))[0].textBody, "/password-reset");
    const reset = await browse(env(), null, "/password-reset");
    const german = await env().app.inject({
      method: "POST",
      url: `/password-reset/${encodeURIComponent(token)}`,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: `${reset.cookie}; cs_lang=de`,
      },
      payload: new URLSearchParams({ _csrf: reset.csrf, password: "password" }).toString(),
    });
    assert.equal(german.statusCode, 422);
    assert.match(german.body, /Dieses Passwort gehört zu den häufigsten; wähle ein anderes\./);
  });

  test("an address under .invalid is refused with its reason on the signup form", async () => {
    const signup = await browse(env(), null, "/signup");
    const refused = await signup.submit("/signup", {
      email: "someone@example.invalid",
      password: "s3cret-enough",
      name: "Ivan Invalid",
    });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /Enter an address that can receive email\./);
  });
});
