import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse, getPage, postForm } from "../web/web-helpers.ts";
import { setKudos } from "../reputation/support.ts";

describeEachDatabase("reputation and moderation pages", (env) => {
  test("flag, review and hide through the forms, each with its CSRF token", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, flagger] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author, "Visit my shop for cheap phones");
    const asFlagger = await browse(env(), flagger);
    const topicPage = await asFlagger.get(topic.url);
    assert.match(topicPage.body, new RegExp(`<form method="post" action="/c/${slug}/posts/reply/${reply.id}/flag">`));
    assert.equal(
      (await postForm(env(), `/c/${slug}/posts/reply/${reply.id}/flag`, { reason: "spam" }, flagger.cookie)).status,
      403,
      "no CSRF token",
    );
    const flagged = await postForm(
      env(),
      `/c/${slug}/posts/reply/${reply.id}/flag`,
      { _csrf: asFlagger.csrf, reason: "spam", text: "Advertising" },
      asFlagger.cookie,
      { referer: `http://localhost${topic.url}` },
    );
    assert.equal(flagged.status, 303);
    assert.equal(flagged.headers.location, `${topic.url}?done=flagged#reply-${reply.id}`, "back to the post");
    const back = await asFlagger.get(String(flagged.headers.location));
    assert.match(back.body, /<p class="notice success done-notice" role="status">Thanks for flagging/);
    assert.doesNotMatch((await asFlagger.get(topic.url)).body, /Thanks for flagging/, "only right after the flag");
    const followed = await asFlagger.submit(`/c/${slug}/t/${topic.id}/follow`);
    assert.equal(followed.headers.location, `${topic.url}?done=followed`);
    assert.match((await asFlagger.get(`${topic.url}?done=followed`)).body, /You follow this topic/);
    assert.doesNotMatch((await asFlagger.get(`${topic.url}?done=bogus`)).body, /done-notice/, "only known notices");
    const asAdmin = await browse(env(), admin);
    const queue = await asAdmin.get(`/c/${slug}/review-queue`);
    assert.equal(queue.status, 200);
    assert.match(queue.body, /Visit my shop for cheap phones/);
    assert.match(queue.body, /Advertising/);
    const itemId = /action="\/c\/[^/]+\/review-queue\/(\d+)"/.exec(queue.body)![1];
    const hidden = await asAdmin.submit(`/c/${slug}/review-queue/${itemId}`, { action: "hide", reason: "Advertising" });
    assert.equal(hidden.status, 303);
    assert.doesNotMatch((await getPage(env(), topic.url)).body, /cheap phones/);
    assert.match((await asAdmin.get(`/c/${slug}/audit`)).body, /<td[^>]*>Post hidden<\/td><td[^>]*>Reply #\d+<\/td>/);
    // A Referer that is no URL sends the form back to the community, not to a 500.
    const bad = { referer: "http://[bad" };
    const restored = await postForm(
      env(),
      `/c/${slug}/posts/reply/${reply.id}/restore`,
      { _csrf: asAdmin.csrf },
      asAdmin.cookie,
      bad,
    );
    assert.deepEqual([restored.status, restored.headers.location], [303, `/c/${slug}`]);
    const flaggedTopic = await postForm(
      env(),
      `/c/${slug}/posts/topic/${topic.id}/flag`,
      { _csrf: asFlagger.csrf, reason: "spam" },
      asFlagger.cookie,
      bad,
    );
    assert.deepEqual([flaggedTopic.status, flaggedTopic.headers.location], [303, `/c/${slug}?done=flagged`]);
    // "Other" without saying what: the form comes back open, the choice kept, the message at the field.
    const other = await postForm(
      env(),
      `/c/${slug}/posts/reply/${reply.id}/flag`,
      { _csrf: asFlagger.csrf, reason: "other", text: "" },
      asFlagger.cookie,
    );
    assert.equal(other.status, 422);
    assert.match(other.body, /<details class="flag-form" open>/);
    assert.match(
      other.body,
      new RegExp(`id="flag-reply-${reply.id}-reason-other" name="reason"\\s+value="other" checked`),
    );
    assert.match(
      other.body,
      new RegExp(`<p class="field-error" id="flag-reply-${reply.id}-text-error">Say what is wrong\\.</p>`),
    );
    assert.equal((await asFlagger.get(`/c/${slug}/review-queue`)).status, 403);
    assert.equal((await asFlagger.get(`/c/${slug}/audit`)).status, 403);
  });

  test("moderate a topic from its page: lock, move, merge", async () => {
    const { slug, categories, members } = await buildCommunity(env(), {
      categories: ["Internet", "TV"],
      members: { member: 1, moderator: 1 },
    });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const asMod = await browse(env(), members.moderator[0]);
    const page = await asMod.get(topic.url);
    assert.match(page.body, new RegExp(`href="/c/${slug}/t/${topic.id}/moderate">Moderate`));
    const moderate = await asMod.get(`/c/${slug}/t/${topic.id}/moderate`);
    assert.equal(moderate.status, 200);
    assert.match(moderate.body, /<label for="move-category">Category<\/label>/);
    assert.equal((await asMod.submit(`/c/${slug}/t/${topic.id}/lock`)).status, 303);
    assert.equal(
      (await asMod.submit(`/c/${slug}/t/${topic.id}/move`, { categoryId: String(categories[1].id) })).status,
      303,
    );
    const after = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(after.body.topic.locked, true);
    assert.equal(after.body.topic.category.id, categories[1].id);
    const asMember = await browse(env(), members.member[0]);
    assert.equal((await asMember.get(`/c/${slug}/t/${topic.id}/moderate`)).status, 403);
    assert.doesNotMatch((await asMember.get(topic.url)).body, /\/moderate">/);
  });

  test("profiles, leaderboard, rewards and settings pages, translated", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const member = members.member[0];
    await setKudos(env(), community.id, member.id, 80);
    await env().api.post(
      `/api/v1/communities/${slug}/rewards`,
      { name: "Sticker pack", price: 50 },
      members.staff[0].auth,
    );
    const asMember = await browse(env(), member);
    const rewards = await asMember.get(`/c/${slug}/rewards`);
    assert.match(rewards.body, /You have 80 kudos to spend\./);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(rewards.body)![1];
    const action = /action="(\/c\/[^"]+\/redeem)"/.exec(rewards.body)![1];
    const first = await asMember.submit(action, { idempotencyKey: key });
    const second = await asMember.submit(action, { idempotencyKey: key });
    assert.deepEqual([first.status, second.status], [303, 303]);
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/redemptions`, member.auth)).body.redemptions.length,
      1,
      "a double click redeems once",
    );
    assert.match((await asMember.get(`/c/${slug}/rewards`)).body, /You need 20 more kudos\./);
    const german = await getPage(env(), `/c/${slug}/u/${member.id}`, null, { "accept-language": "de" });
    assert.match(german.body, /Akzeptierte Antworten/);
    assert.match(german.body, /<span class="rank rank-1"[^>]*>Helfer<\/span>/);
    assert.match(
      (await getPage(env(), `/c/${slug}/leaderboard`, null, { "accept-language": "fr" })).body,
      /<h1>Classement<\/h1>/,
    );
    assert.match(
      (await getPage(env(), `/c/${slug}/rewards`, null, { "accept-language": "it" })).body,
      /<h1>Premi<\/h1>/,
    );
    const asAdmin = await browse(env(), admin);
    const settings = await asAdmin.get(`/c/${slug}/settings`);
    assert.match(
      settings.body,
      /<input id="set-points-replyUpvoted" name="points__replyUpvoted" type="number" value="10">/,
    );
    const saved = await asAdmin.submit(`/c/${slug}/settings/reputation`, {
      points__replyUpvoted: "12",
      ranks: "Rookie: 0\nPro: 70",
    });
    assert.equal(saved.status, 303);
    const now = await env().api.get(`/api/v1/communities/${slug}/settings/reputation`);
    assert.equal(now.body.settings.points.replyUpvoted, 12);
    assert.deepEqual(now.body.settings.ranks, [
      { name: "Rookie", minKudos: 0 },
      { name: "Pro", minKudos: 70 },
    ]);
    const invalid = await asAdmin.submit(`/c/${slug}/settings/reputation`, { ranks: "Pro: 70" });
    assert.equal(invalid.status, 422);
    assert.match(invalid.body, /role="alert"/);
    const moderation = await asAdmin.submit(`/c/${slug}/settings/moderation`, {
      approveFirstPosts: "2",
      blockedPhrases: "fibre deal\ncheap phones",
    });
    assert.equal(moderation.status, 303);
    assert.deepEqual(
      (await env().api.get(`/api/v1/communities/${slug}/settings/moderation`, admin.auth)).body.settings.spam
        .blockedPhrases,
      ["fibre deal", "cheap phones"],
    );
    // A number field holding only spaces keeps its value (Number(" ") was 0); hex is no number;
    // a number out of range says so in numbers, not characters.
    const spam = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/settings/moderation`, admin.auth)).body.settings;
    const before = await spam();
    const blank = await asAdmin.submit(`/c/${slug}/settings/moderation`, {
      approveFirstPosts: "  ",
      spam__maxLinks: "\t",
    });
    assert.equal(blank.status, 303, "saved: nothing");
    assert.deepEqual(await spam(), before);
    const hex = await asAdmin.submit(`/c/${slug}/settings/moderation`, { approveFirstPosts: "0x10" });
    assert.equal(hex.status, 422);
    assert.equal((await spam()).approveFirstPosts, 2);
    const negative = await asAdmin.submit(`/c/${slug}/settings/moderation`, { approveFirstPosts: "-1" });
    assert.equal(negative.status, 422);
    assert.match(negative.body, /Use a number of at least 0\./);
    assert.equal((await asMember.get(`/c/${slug}/settings`)).status, 403);
    const home = await asAdmin.get(`/c/${slug}`);
    for (const link of ["leaderboard", "review-queue", "audit", "settings"])
      assert.match(home.body, new RegExp(`href="/c/${slug}/${link}"`), link);
    // Rewards sit beside the leaderboard, in its sub-navigation.
    assert.match((await asAdmin.get(`/c/${slug}/leaderboard`)).body, new RegExp(`href="/c/${slug}/rewards"`));
  });

  test("a moderator suspends a member from the profile and the member sees why", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const member = members.member[0];
    const asMod = await browse(env(), members.moderator[0]);
    const profile = await asMod.get(`/c/${slug}/u/${member.id}`);
    assert.match(profile.body, /<label for="suspend-reason">Reason \(the member sees it\)<\/label>/);
    assert.equal(
      (await asMod.submit(`/c/${slug}/u/${member.id}/suspend`, { days: "2", reason: "Spamming links" })).status,
      303,
    );
    const own = await getPage(env(), `/c/${slug}/u/${member.id}`, member, { "accept-language": "de" });
    assert.match(own.body, /Grund: Spamming links/);
    assert.equal((await asMod.submit(`/c/${slug}/u/${member.id}/unsuspend`)).status, 303);
    assert.doesNotMatch((await getPage(env(), `/c/${slug}/u/${member.id}`, member)).body, /Spamming links/);
  });

  test("the profile offers a moderator only what they may do: no suspending a fellow moderator, nothing to oneself", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, moderator: 2 } });
    const [moderator, colleague] = members.moderator;
    const asMod = await browse(env(), moderator);
    const suspendForm = /<label for="suspend-reason">/;
    const warnForm = /<label for="warn-reason">/;
    const ofMember = (await asMod.get(`/c/${slug}/u/${members.member[0].id}`)).body;
    assert.match(ofMember, suspendForm);
    assert.match(ofMember, warnForm);
    const ofColleague = (await asMod.get(`/c/${slug}/u/${colleague.id}`)).body;
    assert.doesNotMatch(ofColleague, suspendForm, "only admins suspend moderators");
    assert.match(ofColleague, warnForm);
    assert.equal(
      (await asMod.submit(`/c/${slug}/u/${colleague.id}/suspend`, { days: "2", reason: "Testing" })).status,
      403,
      "the use case agrees",
    );
    assert.doesNotMatch((await asMod.get(`/c/${slug}/u/${moderator.id}`)).body, /id="moderate-member"/);
    assert.match((await getPage(env(), `/c/${slug}/u/${colleague.id}`, admin)).body, suspendForm);
  });

  test("the rewards page offers Redeem only to members who may redeem, as the API says", async () => {
    const { community, slug, members } = await buildCommunity(env(), {
      members: { member: 1, moderator: 1, staff: 1 },
    });
    const member = members.member[0];
    await setKudos(env(), community.id, member.id, 80);
    await env().api.post(
      `/api/v1/communities/${slug}/rewards`,
      { name: "Sticker pack", price: 50 },
      members.staff[0].auth,
    );
    const rewards = () => getPage(env(), `/c/${slug}/rewards`, member);
    const abilities = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/rewards`, member.auth)).body.abilities;
    assert.match((await rewards()).body, /\/redeem"/);
    assert.deepEqual(await abilities(), { redeem: true, manage: false, fulfil: false });
    const suspended = await env().api.put(
      `/api/v1/communities/${slug}/members/${member.id}/suspension`,
      { days: 2, reason: "Spam" },
      members.moderator[0].auth,
    );
    assert.equal(suspended.status, 200);
    const page = (await rewards()).body;
    assert.match(page, /You have 80 kudos to spend\./);
    assert.doesNotMatch(page, /\/redeem"/);
    assert.equal((await abilities()).redeem, false);
  });

  test("a suspended member's topic list offers no New topic button, as the API says", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const member = members.member[0];
    const asMod = await browse(env(), members.moderator[0]);
    const list = () => getPage(env(), `/c/${slug}`, member);
    assert.match((await list()).body, new RegExp(`href="/c/${slug}/new"`));
    assert.equal((await asMod.submit(`/c/${slug}/u/${member.id}/suspend`, { days: "2", reason: "Spam" })).status, 303);
    const api = await env().api.get(`/api/v1/communities/${slug}/topics`, member.auth);
    assert.equal(api.body.abilities.post, false);
    assert.doesNotMatch((await list()).body, new RegExp(`href="/c/${slug}/new"`));
  });
});
