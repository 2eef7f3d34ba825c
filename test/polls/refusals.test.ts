import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

const addPoll = (env: TestEnv, topicId: number, user: TestUser, body: Record<string, unknown>) =>
  env.api.post(`/api/v1/topics/${topicId}/poll`, body, user.auth);
const speaksGerman = (env: TestEnv, user: TestUser) =>
  env.deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", user.id).execute();

describeEachDatabase("poll refusals", (env) => {
  test("a second poll sent by the form comes back with the options typed and the reason in German", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    await speaksGerman(env(), author);
    const topic = await buildTopic(env(), slug, author);
    const first = await addPoll(env(), topic.id, author, { options: ["Ja", "Nein"] });
    assert.equal(first.status, 201);
    const browser = await browse(env(), author);
    // The add-a-poll page itself goes to the poll the topic has, rather than offer a form it would refuse.
    const form = await browser.get(`/c/${slug}/t/${topic.id}/poll`);
    assert.equal(form.status, 302);
    assert.equal(form.headers.location, `${topic.url}#poll`);
    const again = await browser.submit(`/c/${slug}/t/${topic.id}/poll`, {
      options: "Glasfaser\nKabel",
    });
    // It was the generic error page: the options typed were lost.
    assert.equal(again.status, 409);
    assert.match(again.body, /role="alert"/);
    assert.match(again.body, /Dieses Thema hat schon eine Umfrage\./);
    assert.match(again.body, /<textarea[^>]*name="options"[^>]*>Glasfaser\nKabel<\/textarea>/);
    const api = await addPoll(env(), topic.id, author, { options: ["A", "B"] });
    assert.equal(api.status, 409);
    assert.equal(api.body.error.message, "This topic already has a poll.");
    const kept = (await env().api.get(`/api/v1/polls/${first.body.poll.id}`)).body.poll;
    assert.deepEqual(
      kept.options.map((o: any) => o.label),
      ["Ja", "Nein"],
    );
  });

  test("a ballot the poll refuses is named by the ballot in the voter's language", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, voter] = members.member;
    await speaksGerman(env(), voter);
    const topic = await buildTopic(env(), slug, author);
    const { poll } = (await addPoll(env(), topic.id, author, { options: ["Ja", "Nein"] })).body;
    const other = (await addPoll(env(), (await buildTopic(env(), slug, author)).id, author, { options: ["X", "Y"] }))
      .body.poll;
    const [yes, no] = poll.options.map((o: any) => o.id);
    const ballot = await browse(env(), voter);
    const error = (body: string) => /<p class="field-error" id="poll-optionIds-error">([^<]*)<\/p>/.exec(body)?.[1];

    const two = await ballot.submit(`/c/${slug}/polls/${poll.id}/vote`, { option: String(yes), [`option-${no}`]: "" });
    assert.equal(two.status, 422);
    assert.equal(error(two.body), "Wähle nur eine Antwort.");
    const foreign = await ballot.submit(`/c/${slug}/polls/${poll.id}/vote`, { option: String(other.options[0].id) });
    assert.equal(foreign.status, 422);
    assert.equal(error(foreign.body), "Wähle unter den Antworten dieser Umfrage.");
    // An id is digits: not read as a number the way JavaScript would ("0x1" as 1, " " as 0).
    for (const option of [`0x${yes.toString(16)}`, `${yes}e0`, " "]) {
      const odd = await ballot.submit(`/c/${slug}/polls/${poll.id}/vote`, { option });
      assert.equal(odd.status, 422, option);
    }
    // Past the safe integer range it is still a number, not a text too long.
    const huge = await ballot.submit(`/c/${slug}/polls/${poll.id}/vote`, { option: "99999999999999999999" });
    assert.equal(huge.status, 422);
    assert.match(error(huge.body) ?? "", /^Gib eine Zahl von höchstens/);
    // The API keeps its English messages by the field.
    const api = await env().api.post(`/api/v1/polls/${poll.id}/votes`, { optionIds: [yes, no] }, voter.auth);
    assert.deepEqual(api.body.error.fields, { optionIds: "Choose one option." });
    assert.deepEqual((await env().api.get(`/api/v1/polls/${poll.id}`, voter.auth)).body.poll.myVote, []);
  });

  test("each option is one line: breaks, control and bidi characters are refused", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    const topic = await buildTopic(env(), slug, author);
    for (const forged of ["Yes\nNo", "Yes\u0007", "Fibre \u202eelbaC", "Cable\u200f"]) {
      const res = await addPoll(env(), topic.id, author, { options: [forged, "Maybe"] });
      assert.equal(res.status, 422, JSON.stringify(forged));
      assert.equal(res.body.error.code, "validation_failed");
    }
    await speaksGerman(env(), author);
    const form = await (await browse(env(), author)).submit(`/c/${slug}/t/${topic.id}/poll`, {
      options: "Glasfaser\u202e\nKabel",
    });
    assert.equal(form.status, 422);
    assert.match(form.body, /id="options-error">Verwende eine Zeile Text/);
    assert.equal((await addPoll(env(), topic.id, author, { options: ["Yes", "No"] })).status, 201, "none was added");
  });

  test("an option that shows nothing, or shows as another does, is refused", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    const topic = await buildTopic(env(), slug, author);
    // Zero-width space, soft hyphen, word joiner, Hangul filler, blank Braille pattern: a blank choice.
    for (const blank of ["\u200b", "\u00ad", " \u2060 ", "\u3164", "\u2800"]) {
      const res = await addPoll(env(), topic.id, author, { options: [blank, "Maybe"] });
      assert.equal(res.status, 422, JSON.stringify(blank));
      assert.deepEqual(res.body.error.fields, { "options.0": "Write the option." });
    }
    const twin = await addPoll(env(), topic.id, author, { options: ["Yes", "Ye\u200bs", "No"] });
    assert.equal(twin.status, 422);
    assert.deepEqual(twin.body.error.fields, { options: "Give each option once." });
    await speaksGerman(env(), author);
    const form = await (await browse(env(), author)).submit(`/c/${slug}/t/${topic.id}/poll`, {
      options: "Glasfaser\nGlas\u00adfaser",
    });
    assert.equal(form.status, 422);
    assert.match(form.body, /id="options-error">Gib jede Antwort nur einmal an\./);
    assert.equal((await addPoll(env(), topic.id, author, { options: ["Yes", "No"] })).status, 201, "none was added");
  });
});
