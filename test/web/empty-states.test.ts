import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { getPage } from "./web-helpers.ts";

/** The empty state's message and its one next action, as the shared component draws them. */
function emptyAction(body: string): { message: string; href: string | null; label: string | null } {
  const match = body.match(
    /<div class="empty"><p class="empty-message">([^<]*)<\/p>(?:<p class="empty-action"><a class="button" href="([^"]*)">([^<]*)<\/a><\/p>)?<\/div>/,
  );
  assert.ok(match, "the page shows an empty state");
  return { message: match[1], href: match[2] ?? null, label: match[3] ?? null };
}

describeEachDatabase("empty states", (env) => {
  test("every empty list says so and offers one next step", async () => {
    const { slug, admin } = await buildCommunity(env(), { categories: [] });
    const expect = async (url: string, href: string, label: string, message: RegExp) => {
      const page = await getPage(env(), url, admin);
      assert.equal(page.status, 200, url);
      const empty = emptyAction(page.body);
      assert.match(empty.message, message, url);
      assert.deepEqual([empty.href, empty.label], [href, label], url);
    };
    await expect(`/c/${slug}`, `/c/${slug}/new`, "Ask the first question", /No topics match/);
    await expect(`/c/${slug}?status=solved`, `/c/${slug}`, "Show all topics", /No topics match/);
    await expect(`/c/${slug}/search?q=zebra`, `/c/${slug}/new`, "Ask the community", /Nothing found for “zebra”/);
    await expect(`/c/${slug}/ideas`, `/c/${slug}/new?kind=idea`, "Suggest an idea", /No ideas here yet/);
    await expect(`/c/${slug}/kb`, `/c/${slug}/kb/new`, "Write an article", /No articles yet/);
    await expect(`/c/${slug}/categories`, `/c/${slug}`, "Browse the topics", /no categories yet/);
    await expect(`/c/${slug}/leaderboard`, `/c/${slug}`, "Browse the topics", /Nobody has earned kudos/);
    await expect(`/c/${slug}/academy`, `/c/${slug}`, "Browse the topics", /No courses yet/);
    await expect(`/c/${slug}/review-queue`, `/c/${slug}`, "Browse the topics", /Nothing to review/);
    await expect("/me/notifications", "/me/notifications/settings", "Notification settings", /Nothing new/);
    await expect("/me/questions-for-you", "/", "Browse the communities", /No questions for you/);
  });

  test("an anonymous visitor is asked to log in to start the conversation", async () => {
    const { slug } = await buildCommunity(env());
    const page = await getPage(env(), `/c/${slug}`);
    const empty = emptyAction(page.body);
    assert.match(empty.href ?? "", /^\/login\?/);
  });
});
