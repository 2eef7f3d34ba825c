import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildUser, describeEachDatabase } from "../helpers.ts";

describeEachDatabase("JSON bodies whatever the case of their media type", (env) => {
  test("Application/JSON is JSON (media types ignore case); a form body still needs the CSRF header", async () => {
    const user = await buildUser(env());
    const send = (url: string, type: string, payload: string, cookie?: string) =>
      env().app.inject({
        method: "POST",
        url,
        headers: { "content-type": type, ...(cookie ? { cookie } : {}) },
        payload,
      });
    const login = await send(
      "/api/v1/auth/login",
      "Application/JSON; Charset=UTF-8",
      JSON.stringify({ email: user.email, password: TEST_PASSWORD }),
    );
    assert.equal(login.statusCode, 200, login.body);
    const token = await send("/api/v1/tokens", "APPLICATION/JSON", JSON.stringify({ name: "script" }), user.cookie);
    assert.equal(token.statusCode, 201, token.body);
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      const refused = await send("/api/v1/tokens", type, "name=script", user.cookie);
      assert.equal(refused.statusCode, 403, type);
      assert.equal(refused.json().error.code, "forbidden");
    }
  });
});
