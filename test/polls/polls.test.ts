import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

const addPoll = (env: TestEnv, topicId: number, user: TestUser, body: Record<string, unknown>) =>
  env.api.post(`/api/v1/topics/${topicId}/poll`, body, user.auth);
const voteIn = (env: TestEnv, pollId: number, user: TestUser, optionIds: number[]) =>
  env.api.post(`/api/v1/polls/${pollId}/votes`, { optionIds }, user.auth);
const counts = (poll: any) => poll.options.map((o: any) => o.votes);

describeEachDatabase("polls", (env) => {
  test("the topic's author or staff add one poll of 2 to 10 different options", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, staff: 1, moderator: 1 } });
    const [author, other] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const options = ["Evenings", "Weekends"];
    assert.equal((await addPoll(env(), topic.id, other, { options })).status, 403);
    assert.equal((await addPoll(env(), topic.id, members.moderator[0], { options })).status, 403);
    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/poll`, { options })).status, 401);
    for (const bad of [
      { options: ["Only one"] },
      { options: Array.from({ length: 11 }, (_, i) => `Option ${i}`) },
      { options: ["Same", "same"] },
      // One letter typed as one character and as a letter plus an accent: the same option.
      { options: ["Caf\u00e9", "Cafe\u0301"] },
      { options: ["A", ""] },
      { options, closesAt: new Date(env().clock.now() - 1000).toISOString() },
      { options, closesAt: "next week" },
    ]) {
      const res = await addPoll(env(), topic.id, author, bad);
      assert.equal(res.status, 422, JSON.stringify(bad));
    }
    const created = await addPoll(env(), topic.id, author, { options, multiple: false });
    assert.equal(created.status, 201);
    assert.deepEqual(
      created.body.poll.options.map((o: any) => o.label),
      options,
    );
    assert.equal(created.body.poll.multiple, false);
    assert.equal(created.body.poll.closed, false);
    assert.equal((await addPoll(env(), topic.id, author, { options })).status, 409, "one poll per topic");
    const ten = Array.from({ length: 10 }, (_, i) => `Option ${i + 1}`);
    const byStaff = await addPoll(env(), (await buildTopic(env(), slug, other)).id, members.staff[0], {
      options: ten,
      multiple: true,
    });
    assert.equal(byStaff.status, 201);
    assert.equal(byStaff.body.poll.options.length, 10);
  });

  test("one vote per member, changeable; results after voting, always for anonymous visitors", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [author, voter, undecided] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const { poll } = (await addPoll(env(), topic.id, author, { options: ["Router", "Repeater", "Mesh"] })).body;
    const [router, repeater, mesh] = poll.options.map((o: any) => o.id);
    const before = (await env().api.get(`/api/v1/polls/${poll.id}`, undecided.auth)).body.poll;
    assert.deepEqual([before.resultsVisible, before.voters, counts(before)], [false, null, [null, null, null]]);
    assert.equal(before.abilities.vote, true);

    const voted = await voteIn(env(), poll.id, voter, [router]);
    assert.equal(voted.status, 200);
    assert.deepEqual(
      [voted.body.poll.myVote, counts(voted.body.poll), voted.body.poll.voters],
      [[router], [1, 0, 0], 1],
    );
    assert.equal((await voteIn(env(), poll.id, voter, [router, mesh])).status, 422, "single choice");
    const changed = await voteIn(env(), poll.id, voter, [mesh]);
    assert.deepEqual([changed.body.poll.myVote, counts(changed.body.poll)], [[mesh], [0, 0, 1]]);
    assert.equal((await voteIn(env(), poll.id, undecided, [repeater])).status, 200);

    const anonymous = (await env().api.get(`/api/v1/polls/${poll.id}`)).body.poll;
    assert.deepEqual([anonymous.resultsVisible, counts(anonymous), anonymous.voters], [true, [0, 1, 1], 2]);
    assert.equal(anonymous.abilities.vote, false);
    assert.equal((await env().api.post(`/api/v1/polls/${poll.id}/votes`, { optionIds: [router] })).status, 401);

    const other = (await addPoll(env(), (await buildTopic(env(), slug, author)).id, author, { options: ["X", "Y"] }))
      .body.poll;
    assert.equal((await voteIn(env(), poll.id, voter, [other.options[0].id])).status, 422, "another poll's option");
    assert.equal((await voteIn(env(), poll.id, voter, [])).status, 422);
    assert.equal((await env().api.get("/api/v1/polls/999999")).status, 404);
  });

  test("multiple choice counts each chosen option once", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [author, a, b] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const { poll } = (await addPoll(env(), topic.id, author, { options: ["TV", "Mobile", "Internet"], multiple: true }))
      .body;
    const [tv, mobile, internet] = poll.options.map((o: any) => o.id);
    await voteIn(env(), poll.id, a, [tv, internet, tv]);
    const res = await voteIn(env(), poll.id, b, [mobile, internet]);
    assert.deepEqual([counts(res.body.poll), res.body.poll.voters], [[1, 1, 2], 2]);
    // Shares of the 2 members who voted, as each option's count reads: Internet was chosen by both.
    const shares = async (user: TestUser) =>
      [...(await getPage(env(), topic.url, user)).body.matchAll(/<span class="poll-count">([^<]*)<\/span>/g)].map(
        (m) => m[1],
      );
    assert.deepEqual(await shares(a), ["1 vote (50%)", "1 vote (50%)", "2 votes (100%)"]);
    // Written the reader's way, a space before the sign.
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", b.id).execute();
    assert.deepEqual(await shares(b), ["1 Stimme (50\u00a0%)", "1 Stimme (50\u00a0%)", "2 Stimmen (100\u00a0%)"]);
  });

  test("a ballot naming one option more times than a poll has options is one choice, not too many", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, voter] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const { poll } = (await addPoll(env(), topic.id, author, { options: ["Yes", "No"] })).body;
    const [yes] = poll.options.map((o: any) => o.id);
    const res = await voteIn(env(), poll.id, voter, new Array(11).fill(yes));
    assert.equal(res.status, 200);
    assert.deepEqual([counts(res.body.poll), res.body.poll.myVote], [[1, 0], [yes]]);
    // Eleven different ids are still too many, whatever they name.
    const many = await voteIn(env(), poll.id, voter, [yes, ...Array.from({ length: 10 }, (_, i) => 900_000 + i)]);
    assert.equal(many.status, 422);
    assert.equal(many.body.error.fields.optionIds, "Choose at most 10 options.");
  });

  test("a member's two votes at once end as one ballot; many members at once all count", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 9 } });
    const [author, twice, ...crowd] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const { poll } = (await addPoll(env(), topic.id, author, { options: ["Yes", "No"] })).body;
    const [yes, no] = poll.options.map((o: any) => o.id);
    const both = await Promise.all([voteIn(env(), poll.id, twice, [yes]), voteIn(env(), poll.id, twice, [no])]);
    assert.deepEqual(
      both.map((r) => r.status),
      [200, 200],
    );
    const after = (await env().api.get(`/api/v1/polls/${poll.id}`, twice.auth)).body.poll;
    assert.equal(after.voters, 1);
    assert.equal(after.myVote.length, 1);
    assert.deepEqual(counts(after).sort(), [0, 1]);
    await Promise.all(crowd.map((user, i) => voteIn(env(), poll.id, user, [i % 2 ? no : yes])));
    const total = (await env().api.get(`/api/v1/polls/${poll.id}`)).body.poll;
    assert.equal(total.voters, 1 + crowd.length);
    assert.equal(
      counts(total).reduce((s: number, n: number) => s + n, 0),
      1 + crowd.length,
    );
  });

  test("after the closing time nobody votes (409) and everyone sees the results", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [author, voter, late] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const closesAt = new Date(env().clock.now() + 3_600_000).toISOString();
    const { poll } = (await addPoll(env(), topic.id, author, { options: ["A", "B"], closesAt })).body;
    assert.equal(poll.closesAt, closesAt);
    await voteIn(env(), poll.id, voter, [poll.options[0].id]);
    env().clock.advance(3_600_000);
    const refused = await voteIn(env(), poll.id, late, [poll.options[1].id]);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, "conflict");
    assert.equal((await voteIn(env(), poll.id, voter, [poll.options[1].id])).status, 409, "no change after closing");
    const seen = (await env().api.get(`/api/v1/polls/${poll.id}`, late.auth)).body.poll;
    assert.deepEqual(
      [seen.closed, seen.resultsVisible, counts(seen), seen.abilities.vote],
      [true, true, [1, 0], false],
    );
  });

  test("a suspended or banned member does not vote, is told why, and sees the results like anyone who cannot vote", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [author, suspended, banned] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const { poll } = (await addPoll(env(), topic.id, author, { options: ["A", "B"] })).body;
    await voteIn(env(), poll.id, author, [poll.options[0].id]);
    const member = (user: TestUser) => `/api/v1/communities/${slug}/members/${user.id}`;
    const reason = { days: 7, reason: "Insulting other members" };
    assert.equal((await env().api.put(`${member(suspended)}/suspension`, reason, admin.auth)).status, 200);
    assert.equal((await env().api.put(`${member(banned)}/ban`, { reason: "Spam everywhere" }, admin.auth)).status, 200);

    const refused = await voteIn(env(), poll.id, suspended, [poll.options[1].id]);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /suspended from this community until .* Reason: Insulting other members/);
    assert.equal((await voteIn(env(), poll.id, banned, [poll.options[1].id])).status, 403);
    for (const user of [suspended, banned]) {
      const seen = (await env().api.get(`/api/v1/polls/${poll.id}`, user.auth)).body.poll;
      assert.deepEqual([seen.abilities.vote, seen.resultsVisible, counts(seen)], [false, true, [1, 0]]);
    }
    const page = await getPage(env(), topic.url, suspended);
    assert.doesNotMatch(page.body, /class="poll-ballot"/);
    assert.match(page.body, /class="poll-results"/);
  });

  test("the poll form names what is wrong in the author's language: a repeated option, a past closing time", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", author.id).execute();
    const topic = await buildTopic(env(), slug, author);
    const browser = await browse(env(), author);
    const twice = await browser.submit(`/c/${slug}/t/${topic.id}/poll`, { options: "Glasfaser\nglasfaser" });
    assert.equal(twice.status, 422);
    assert.match(twice.body, /<p class="field-error" id="options-error">Gib jede Antwort nur einmal an\.<\/p>/);
    const past = await browser.submit(`/c/${slug}/t/${topic.id}/poll`, {
      options: "Glasfaser\nKabel",
      closesAt: "2025-12-31T18:00",
    });
    assert.equal(past.status, 422);
    assert.match(past.body, /<p class="field-error" id="closesAt-error">Wähle einen Zeitpunkt in der Zukunft\.<\/p>/);
    const api = await addPoll(env(), topic.id, author, { options: ["A", "B"], closesAt: "2025-12-31T18:00:00Z" });
    assert.deepEqual(api.body.error.fields, { closesAt: "Choose a time in the future." });
  });

  test("without JavaScript: the ballot is a form, anonymous visitors see results and a login link", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [author, voter, chooser] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const authorBrowser = await browse(env(), author);
    assert.match((await authorBrowser.get(topic.url)).body, new RegExp(`href="/c/${slug}/t/${topic.id}/poll"`));
    assert.match((await authorBrowser.get(`/c/${slug}/t/${topic.id}/poll`)).body, /name="options"/);
    const elsewhere = await buildCommunity(env());
    assert.equal(
      (await authorBrowser.get(`/c/${elsewhere.slug}/t/${topic.id}/poll`)).status,
      404,
      "a topic's poll form lives under its own community only",
    );
    const refused = await authorBrowser.submit(`/c/${slug}/t/${topic.id}/poll`, { options: "Only one" });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /role="alert"/);
    const created = await authorBrowser.submit(`/c/${slug}/t/${topic.id}/poll`, {
      options: "Fibre\r\nCable\r\n\r\nDSL",
      multiple: "on",
      closesAt: "2026-06-30T18:00",
    });
    assert.equal(created.status, 303);
    assert.equal(created.headers.location, `${topic.url}#poll`, "back to the topic's own address");
    const page = await getPage(env(), topic.url, voter);
    const pollId = Number(/action="\/c\/[^/]+\/polls\/(\d+)\/vote"/.exec(page.body)?.[1]);
    const api = (await env().api.get(`/api/v1/polls/${pollId}`, voter.auth)).body.poll;
    assert.deepEqual(
      api.options.map((o: any) => o.label),
      ["Fibre", "Cable", "DSL"],
    );
    assert.equal(api.multiple, true);
    assert.equal(api.closesAt, "2026-06-30T18:00:00.000Z");
    assert.match(page.body, /type="checkbox" id="poll-option-\d+" name="option-\d+"/);
    assert.match(page.body, /The results show once you have voted/);

    const [fibre, , dsl] = api.options.map((o: any) => o.id);
    const ballot = await browse(env(), chooser);
    // Nothing ticked: the topic page again, the message by the ballot (it was the generic error page).
    const empty = await ballot.submit(`/c/${slug}/polls/${pollId}/vote`, {});
    assert.equal(empty.status, 422);
    assert.match(empty.body, new RegExp(`<link rel="canonical" href="[^"]*/t/${topic.id}/`), "the topic page");
    assert.match(empty.body, /<a href="#poll-optionIds">/, "the alert links to the ballot");
    assert.match(
      empty.body,
      /<fieldset id="poll-optionIds"\s+class="has-error" aria-describedby="poll-optionIds-error">/,
    );
    const cast = await ballot.submit(`/c/${slug}/polls/${pollId}/vote`, {
      [`option-${fibre}`]: String(fibre),
      [`option-${dsl}`]: String(dsl),
    });
    assert.equal(cast.status, 303);
    assert.equal(cast.headers.location, `/c/${slug}/t/${topic.id}#poll`);
    assert.deepEqual(
      (await env().api.get(`/api/v1/polls/${pollId}`, chooser.auth)).body.poll.myVote.sort(),
      [fibre, dsl].sort(),
    );

    const anonymous = await getPage(env(), topic.url);
    assert.match(anonymous.body, /id="poll"/);
    assert.match(anonymous.body, /1 member voted/);
    assert.match(anonymous.body, /Log in to vote/);
    assert.doesNotMatch(anonymous.body, /poll-ballot/);

    // A single-choice poll is a radio group.
    const single = await buildTopic(env(), slug, author);
    const singlePoll = (await addPoll(env(), single.id, author, { options: ["Yes", "No"] })).body.poll;
    const radio = await getPage(env(), single.url, voter);
    assert.match(radio.body, /type="radio" id="poll-option-\d+" name="option"/);
    const voterBrowser = await browse(env(), voter);
    const one = await voterBrowser.submit(`/c/${slug}/polls/${singlePoll.id}/vote`, {
      option: String(singlePoll.options[1].id),
    });
    assert.equal(one.status, 303);
    assert.deepEqual((await env().api.get(`/api/v1/polls/${singlePoll.id}`, voter.auth)).body.poll.myVote, [
      singlePoll.options[1].id,
    ]);
  });
});
