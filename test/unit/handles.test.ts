import { test } from "node:test";
import assert from "node:assert/strict";
import { firstFreeHandle, handleBase, handleCandidate, isHandle, mentionedHandle } from "../../src/lib/handles.ts";
import { extractMentions } from "../../src/notifications/mentions.ts";

test("a name suggests a lowercase ASCII handle; a name that is a handle stays as it is", () => {
  assert.equal(handleBase("Alice Martin"), "alicemartin");
  assert.equal(handleBase("Zoë Müller-Lang"), "zoemullerlang");
  assert.equal(handleBase("j.doe_42"), "j.doe_42");
  assert.equal(handleBase("李"), "member", "too few letters or digits for a handle");
  assert.equal(handleBase("X"), "member");
  assert.equal(handleBase("Bartholomew Fitzgerald-Montgomery III"), "bartholomewfitzgeraldmontgomer");
  assert.ok(isHandle(handleBase("Bartholomew Fitzgerald-Montgomery III")));
});

test("candidates get a numeric suffix that still fits 30 characters", () => {
  assert.equal(handleCandidate("alicemartin", 1), "alicemartin");
  assert.equal(handleCandidate("alicemartin", 2), "alicemartin2");
  assert.equal(handleCandidate("a".repeat(30), 12), `${"a".repeat(28)}12`);
  const taken = new Set(["alicemartin", "alicemartin2"]);
  assert.equal(
    firstFreeHandle("alicemartin", (h) => taken.has(h)),
    "alicemartin3",
  );
});

test("handles: 2-30 of a-z 0-9 _ . -, not starting or ending with . or -", () => {
  for (const ok of ["ab", "alice.martin", "a-b_c", "_x_", "a".repeat(30)]) assert.ok(isHandle(ok), ok);
  for (const bad of ["a", "Alice", "alice.", "-alice", "has space", "zoë", "a".repeat(31), ""])
    assert.ok(!isHandle(bad), bad);
});

test("mentions name handles in any case, not code, e-mail addresses or trailing punctuation", () => {
  assert.deepEqual(
    extractMentions("Ask @AliceMartin. Or @zoë, @bob_2 and @j.doe-x! Not `@code`, bob@example.com or @a."),
    ["alicemartin", "zoe", "bob_2", "j.doe-x"],
  );
  assert.deepEqual(extractMentions("```\n@decorator\n```\n@carol"), ["carol"]);
  assert.equal(mentionedHandle("x".repeat(31)), null, "longer than any handle");
  assert.equal(mentionedHandle("Ali.ce..."), "ali.ce");
});
