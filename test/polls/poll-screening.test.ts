import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

const addPoll = (env: TestEnv, topicId: number, user: TestUser, options: string[]) =>
  env.api.post(`/api/v1/topics/${topicId}/poll`, { options }, user.auth);

/** A member's topic, in a community with the default blocked phrases ("casino bonus", "payday loan", …). */
async function membersTopic(env: TestEnv) {
  const { slug, admin, members } = await buildCommunity(env, { members: { member: 1 } });
  const [author] = members.member;
  const topic = await buildTopic(env, slug, author, { title: "Which router suits a flat?" });
  return { slug, admin, author, topic };
}

describeEachDatabase("poll options screened as posts are", (env) => {
  test("an option with a blocked phrase is refused by the options field, and no poll is added", async () => {
    const { author, topic } = await membersTopic(env());
    // Written as spammers write it: a Cyrillic "а" and a zero-width space.
    for (const spam of ["Casino bonus", "cаsino\u200b bonus every day"]) {
      const res = await addPoll(env(), topic.id, author, ["Router", spam]);
      assert.equal(res.status, 422, spam);
      assert.equal(res.body.error.code, "validation_failed");
      assert.deepEqual(res.body.error.fields, { options: "Option 2 reads as spam: reword it or leave it out." });
    }
    assert.equal((await addPoll(env(), topic.id, author, ["Router", "Mesh"])).status, 201, "none was added");
  });

  test("the form comes back with the options typed and the reason in German by the field", async () => {
    const { slug, author, topic } = await membersTopic(env());
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", author.id).execute();
    const form = await (await browse(env(), author)).submit(`/c/${slug}/t/${topic.id}/poll`, {
      options: "Payday loan\nKabel",
    });
    assert.equal(form.status, 422);
    assert.match(form.body, /id="options-error">Antwort 1 sieht nach Spam aus: Formuliere sie um oder lass sie weg\./);
    assert.match(form.body, /<textarea[^>]*name="options"[^>]*>Payday loan\nKabel<\/textarea>/);
  });

  test("the team is exempt, as from the screening of its posts", async () => {
    const { admin, topic } = await membersTopic(env());
    const res = await addPoll(env(), topic.id, admin, ["Casino bonus", "None"]);
    assert.equal(res.status, 201);
  });
});
