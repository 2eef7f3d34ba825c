import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { followerOfAnsweredTopic } from "./support.ts";
import { sendDigests } from "../../src/notifications/notifications.digest.ts";

describeEachDatabase("digests: each notification in one digest only", (env) => {
  test("two digest runs at once (a late run and the next one) queue one digest, not two", async () => {
    const { follower } = await followerOfAnsweredTopic(env(), "Router keeps dropping the line", "Try another cable.");
    const runs = await Promise.all([sendDigests(env().deps, "daily"), sendDigests(env().deps, "daily")]);
    const digests = await env()
      .deps.db.selectFrom("emailDeliveries")
      .select(["subject", "textBody"])
      .where("userId", "=", follower.id)
      .where("kind", "=", "digest.daily")
      .execute();
    assert.equal(digests.length, 1, "one digest email for the follower");
    assert.equal(digests[0].subject, "Your daily digest: 1 new");
    assert.match(digests[0].textBody, /Router keeps dropping the line/);
    assert.equal(runs[0] + runs[1], 1, "the runs together report one digest sent");
  });
});
