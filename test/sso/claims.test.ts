import { test } from "node:test";
import assert from "node:assert/strict";
import { satisfiesClaim } from "../../src/sso/sso.requirements.ts";

test("a required claim is met only by the identity's own claims", () => {
  const claims = JSON.parse('{"sub":"u1","customer":true,"groups":["gold","tv"],"plan":""}');
  assert.equal(satisfiesClaim(claims, "customer", null), true);
  assert.equal(satisfiesClaim(claims, "groups", "tv"), true);
  assert.equal(satisfiesClaim(claims, "groups", "silver"), false);
  assert.equal(satisfiesClaim(claims, "plan", null), false, "empty is absent");
  for (const inherited of ["constructor", "toString", "hasOwnProperty", "__proto__"])
    assert.equal(satisfiesClaim(claims, inherited, null), false, `${inherited} is not a claim of this identity`);
  assert.equal(satisfiesClaim({ sub: "u1" }, "constructor", "function Object() { [native code] }"), false);
});
