import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildTopic, buildUser, describeEachDatabase, type TestUser } from "../helpers.ts";
import { browse, postForm } from "../web/web-helpers.ts";
import { patchSettings } from "./support.ts";

/**
 * A vote refused by the integrity rules (linked accounts, a voting ring) says why on the page in
 * the voter's language; before, a German reader got only "Dazu fehlt dir die Berechtigung." (the
 * reason was in English, shown to English readers alone). The API keeps its English message.
 */
describeEachDatabase("a refused vote explains itself in every language", (env) => {
  const voteOnPage = async (slug: string, topicId: number, voter: TestUser) => {
    const { csrf } = await browse(env(), voter);
    return postForm(env(), `/c/${slug}/t/${topicId}/vote`, { _csrf: csrf, value: "1" }, voter.cookie, {
      "accept-language": "de",
    });
  };

  test("a voting ring, in German on the page, in English in the API", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, voter] = members.member;
    await patchSettings(env(), slug, admin, "reputation", { votingRing: { maxUpvotesPerAuthor: 1, windowDays: 7 } });
    const first = await buildTopic(env(), slug, author, { title: "Router blinks red after update" });
    const second = await buildTopic(env(), slug, author, { title: "Router keeps blinking red" });
    assert.equal((await env().api.put(`/api/v1/topics/${first.id}/vote`, { value: 1 }, voter.auth)).status, 200);

    const page = await voteOnPage(slug, second.id, voter);
    assert.equal(page.status, 403);
    assert.match(page.body, /Du hast Beiträge dieses Mitglieds in den letzten 7 Tagen schon 1-mal positiv bewertet/);
    const api = await env().api.put(`/api/v1/topics/${second.id}/vote`, { value: 1 }, voter.auth);
    assert.equal(api.status, 403);
    assert.match(api.body.error.message, /^You have already upvoted this member's posts 1 times in the last 7 days/);
  });

  test("linked accounts, in German on the page", async () => {
    const { slug, community } = await buildCommunity(env());
    const main = await buildUser(env(), { signupIp: "198.51.100.77" });
    const sock = await buildUser(env(), { signupIp: "198.51.100.77" });
    for (const user of [main, sock]) await addMember(env(), community.id, user.id, "member");
    const topic = await buildTopic(env(), slug, main);

    const page = await voteOnPage(slug, topic.id, sock);
    assert.equal(page.status, 403);
    assert.match(page.body, /Du kannst nicht über Beiträge eines Kontos abstimmen, das mit deinem verknüpft ist/);
  });
});
