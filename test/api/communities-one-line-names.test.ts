import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

const ONE_LINE = "Use one line of text, without line breaks or control characters.";

describeEachDatabase("communities: community and category names are one line", (env) => {
  test("a name with a line break or a bidi override is 422 on name; nothing is stored", async () => {
    const { slug, admin, categories } = await buildCommunity(env());
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    const api = env().api;
    const base = `/api/v1/communities/${slug}`;

    const created = await api.post(
      "/api/v1/communities",
      { slug: "forged-lines", name: "Acme\r\nBcc: everyone@example.test" },
      platformAdmin.auth,
    );
    assert.equal(created.status, 422);
    assert.equal(created.body.error.fields.name, ONE_LINE);
    assert.equal((await api.get("/api/v1/communities/forged-lines", platformAdmin.auth)).status, 404);

    const renamed = await api.patch(base, { name: "Acme\u202Epleh" }, admin.auth);
    assert.equal(renamed.status, 422);
    assert.equal(renamed.body.error.fields.name, ONE_LINE);

    const category = await api.post(`${base}/categories`, { name: "Billing\nand invoices" }, admin.auth);
    assert.equal(category.status, 422);
    assert.equal(category.body.error.fields.name, ONE_LINE);
    const changed = await api.patch(`${base}/categories/${categories[0].id}`, { name: "Gen\neral" }, admin.auth);
    assert.equal(changed.status, 422);
    assert.equal(changed.body.error.fields.name, ONE_LINE);

    const community = (await api.get(base)).body.community;
    assert.doesNotMatch(community.name, /[\n\u202E]/);
    assert.deepEqual(
      community.categories.map((c: { name: string }) => c.name),
      ["General"],
    );
    // One-line names with any letters are still fine.
    assert.equal((await api.post(`${base}/categories`, { name: "Fatturazione · Rechnung" }, admin.auth)).status, 201);
  });

  test("the settings form refuses a name on two lines in words, and keeps what was typed", async () => {
    const { slug, admin } = await buildCommunity(env());
    const asAdmin = await browse(env(), admin);
    const refused = await asAdmin.submit(`/c/${slug}/settings/general`, {
      name: "Two\nlines",
      description: "Kept description",
      visibility: "public",
      locale: "en",
      timeZone: "UTC",
    });
    assert.equal(refused.status, 422);
    assert.ok(refused.body.includes(ONE_LINE), "says what to change");
    assert.match(refused.body, /name="description"[^>]*>Kept description</);
  });
});
