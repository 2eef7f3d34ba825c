import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";

// JSON.parse makes "__proto__" an own key; anything that later copies it with Object.assign or a
// merge sets the copy's prototype. The body parser refuses it, as Fastify's own does.
describeEachDatabase("JSON bodies: no __proto__ key", (env) => {
  test("a body holding __proto__ at any depth is refused with a 400, and nothing changes", async () => {
    const { members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const put = (payload: string) =>
      env().app.inject({
        method: "PUT",
        url: "/api/v1/me/notification-preferences",
        headers: {
          authorization: `Bearer ${(member.auth as { token: string }).token}`,
          "content-type": "application/json",
        },
        payload,
      });
    for (const payload of ['{"__proto__":{"admin":true}}', '{"preferences":{"__proto__":{"reply":"email"}}}']) {
      const res = await put(payload);
      assert.equal(res.statusCode, 400, payload);
      assert.deepEqual(res.json().error, {
        code: "bad_request",
        message: "The request body may not hold a __proto__ key.",
      });
    }
    const broken = await put('{"preferences":');
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.message, "The request body is not valid JSON.");
    assert.equal(({} as { admin?: boolean }).admin, undefined, "no prototype was touched");
  });
});
