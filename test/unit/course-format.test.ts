import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLessons } from "../../src/academy/academy.format.ts";

test("a '# ' line inside a fenced code block stays in its lesson; after the block it starts the next", () => {
  const firstLesson = [
    "Run this on the box:",
    "```sh",
    "# stop the service first",
    "service wan restart",
    "```",
    "~~~~",
    "# still code",
    "~~~",
    "# and code: a shorter fence does not close it",
    "~~~~",
  ];
  const text = ["# Reset the router", ...firstLesson, "# Check the lights", "Green means online."].join("\n");
  assert.deepEqual(parseLessons(text), [
    { title: "Reset the router", body: firstLesson.join("\n") },
    { title: "Check the lights", body: "Green means online." },
  ]);
});
