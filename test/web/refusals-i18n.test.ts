import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "./web-helpers.ts";

// A page refused for a reason of its own (admins only, moderators only...) says why in the
// reader's language, not only in English (web/page.ts refusedPage).
describeEachDatabase("refused pages explain themselves in every language", (env) => {
  test("a member opening admin and moderator pages is told why, in German", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const topic = await buildTopic(env(), slug, member, { title: "A topic to moderate" });
    const german = { "accept-language": "de" };
    for (const [path, reason] of [
      [`/c/${slug}/settings`, "Nur Community-Admins können diese Einstellungen ändern."],
      [`/c/${slug}/admin/support`, "Nur Community-Admins können die Support-Einstellungen ändern."],
      [`/c/${slug}/t/${topic.id}/moderate`, "Nur Moderatoren können das tun."],
    ]) {
      const page = await getPage(env(), path, member, german);
      assert.equal(page.status, 403, path);
      assert.ok(page.body.includes(`<p class="error-detail">${reason}</p>`), `${path}: ${page.body.slice(0, 0)}`);
    }
    const english = await getPage(env(), `/c/${slug}/settings`, member);
    assert.ok(english.body.includes("Only community admins can change these settings."));
  });
});
