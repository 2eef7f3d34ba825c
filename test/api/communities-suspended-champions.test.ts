import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestUser } from "../helpers.ts";

describeEachDatabase(
  "communities: a suspended champion or moderator keeps reading champions-only categories",
  (env) => {
    test("suspended, they still see the category and its topics but cannot post in it", async () => {
      const { slug, admin, categories, members } = await buildCommunity(env(), {
        categories: ["General", "Champions lounge"],
        members: { member: 2, moderator: 1 },
      });
      const [champ, member] = members.member;
      const moderator = members.moderator[0];
      const lounge = categories[1];
      const api = env().api;
      const base = `/api/v1/communities/${slug}`;
      assert.equal(
        (await api.put(`${base}/categories/${lounge.id}/champions-only`, { championsOnly: true }, admin.auth)).status,
        200,
      );
      assert.equal((await api.put(`${base}/members/${champ.id}/champion`, { champion: true }, admin.auth)).status, 200);
      const secret = await buildTopic(env(), slug, champ, { title: "Beta firmware notes", categoryId: lounge.id });
      for (const who of [champ, moderator]) {
        const suspended = await api.put(
          `${base}/members/${who.id}/suspension`,
          { days: 7, reason: "Cooling off" },
          admin.auth,
        );
        assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      }

      const names = async (user: TestUser) =>
        (await api.get(`${base}/categories`, user.auth)).body.categories.map((c: { name: string }) => c.name);
      const titles = async (user: TestUser) =>
        (await api.get(`${base}/topics`, user.auth)).body.topics.map((t: { title: string }) => t.title);
      for (const who of [champ, moderator]) {
        assert.deepEqual(await names(who), ["General", "Champions lounge"], "the category's name stays");
        assert.deepEqual(await titles(who), [secret.title], "its topics stay in the list");
        assert.equal((await api.get(`/api/v1/topics/${secret.id}`, who.auth)).status, 200, "the topic reads");
        const reply = await api.post(`/api/v1/topics/${secret.id}/replies`, { body: "Still here?" }, who.auth);
        assert.equal(reply.status, 403, "taking part is refused");
        assert.match(reply.body.error.message, /suspended .* Reason: Cooling off/);
      }
      // Others still see nothing of it.
      assert.deepEqual(await names(member), ["General"]);
      assert.equal((await api.get(`/api/v1/topics/${secret.id}`, member.auth)).status, 404);
    });
  },
);
