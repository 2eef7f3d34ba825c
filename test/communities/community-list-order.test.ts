import assert from "node:assert/strict";
import { test } from "node:test";
import { addMember, buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";

/** Communities are listed by name as readers sort names: the case of the first letter does not come first. */
describeEachDatabase("the list of communities", (env) => {
  test("is in alphabetical order whatever the case, on the front page's API and in one's memberships", async () => {
    const member = await buildUser(env());
    const tag = String(Date.now() % 100_000);
    const names = ["banana", "Cherry", "apple", "Date"].map((name) => `${name} ${tag}`);
    for (const name of names) {
      const { community } = await buildCommunity(env());
      await env().deps.db.updateTable("communities").set({ name }).where("id", "=", community.id).execute();
      await addMember(env(), community.id, member.id, "member");
    }
    const alphabetical = ["apple", "banana", "Cherry", "Date"].map((name) => `${name} ${tag}`);
    const listed = await env().api.get("/api/v1/communities", member.auth);
    assert.equal(listed.status, 200);
    const shown = listed.body.communities.map((c: { name: string }) => c.name).filter((n: string) => names.includes(n));
    assert.deepEqual(shown, alphabetical);
    const me = await env().api.get("/api/v1/me", member.auth);
    assert.equal(me.status, 200, JSON.stringify(me.body));
    const mine = me.body.memberships.map((m: { name: string }) => m.name).filter((n: string) => names.includes(n));
    assert.deepEqual(mine, alphabetical);
  });
});
