import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildUser, describeEachDatabase } from "../helpers.ts";

type Responses = Record<string, { content?: unknown }>;

describeEachDatabase("the OpenAPI document's success responses", (env) => {
  test("a 204 answer is documented without a body, as it is sent", async () => {
    const doc = (await env().api.get("/api/v1/openapi.json")).body;
    const noContent: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, { responses: Responses }>>(doc.paths))
      for (const [method, operation] of Object.entries(operations))
        if (operation.responses["204"]) {
          noContent.push(`${method.toUpperCase()} ${path}`);
          assert.equal(operation.responses["204"].content, undefined, `${method} ${path}: 204 has no content`);
        }
    assert.ok(noContent.includes("DELETE /api/v1/me"), noContent.join(", "));

    const user = await buildUser(env());
    const deleted = await env().app.inject({
      method: "DELETE",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${user.auth.token}`, "content-type": "application/json" },
      payload: JSON.stringify({ password: TEST_PASSWORD }),
    });
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.equal(deleted.body, "", "the real answer has no body");
  });
});

describeEachDatabase("the OpenAPI document's upload bodies", (env) => {
  test("an upload is documented as multipart/form-data with its file field", async () => {
    const doc = (await env().api.get("/api/v1/openapi.json")).body;
    const bodies = {
      image: doc.paths["/api/v1/communities/{slug}/attachments"].post.requestBody,
      avatar: doc.paths["/api/v1/me/avatar"].put.requestBody,
    };
    for (const [field, body] of Object.entries(bodies)) {
      assert.deepEqual(Object.keys(body.content), ["multipart/form-data"], field);
      const schema = body.content["multipart/form-data"].schema;
      assert.deepEqual(schema.required, [field]);
      assert.deepEqual(schema.properties[field], { type: "string", format: "binary" });
    }
  });
});

describeEachDatabase(
  "the OpenAPI document behind HTTPS",
  (env) => {
    test("names the session cookie as it is set: __Host- prefixed with SECURE_COOKIES", async () => {
      const doc = (await env().api.get("/api/v1/openapi.json")).body;
      assert.equal(doc.components.securitySchemes.session.name, "__Host-cs_session");
      const user = await buildUser(env());
      const login = await env().app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: user.email, password: TEST_PASSWORD },
      });
      assert.match(String(login.headers["set-cookie"]), /^__Host-cs_session=/, "the cookie the document names");
    });
  },
  { secureCookies: true },
);
