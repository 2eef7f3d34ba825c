import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser, type TestEnv } from "../helpers.ts";
import { approvedHelper, createOffer, createService, describeMarket } from "../marketplace/support.ts";
import { childText, childrenNamed, parseXml } from "./xml.ts";
import { fetchPath } from "./support.ts";

/** Sitemaps are kept for five minutes: move past that so the next fetch sees the changes. */
const pastCache = (env: TestEnv) => env.clock.advance(301_000);

async function helperUrls(env: TestEnv, slug: string): Promise<string[]> {
  const res = await fetchPath(env, `/c/${slug}/sitemap.xml`);
  assert.equal(res.status, 200);
  return childrenNamed(parseXml(res.body), "url")
    .map((entry) => new URL(childText(entry, "loc")!).pathname)
    .filter((path) => path.includes("/helpers/"));
}

/**
 * The pages sitemap lists the profiles of the service friends who sell in the community, by the
 * marketplace's own rule (approved, not banned or suspended there, still taking part): the same
 * helpers its search finds, so every profile listed opens for a crawler and none that would not.
 */
describeMarket("the pages sitemap's service friends", (env) => {
  test("only helpers in good standing are listed; each listed profile opens, the others do not", async () => {
    const { slug, admin } = await buildCommunity(env(), {});
    const service = await createService(env(), slug, admin);
    const helpers = [];
    for (const name of ["Good Standing", "Banned Later", "Suspended Later", "Removed Later"]) {
      const { user } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name }));
      await createOffer(env(), slug, user, service.id);
      helpers.push(user);
    }
    const [good, banned, suspended, removed] = helpers;
    const profile = (id: number) => `/c/${slug}/helpers/${id}`;
    assert.deepEqual(await helperUrls(env(), slug), helpers.map((h) => profile(h.id)).sort());

    const member = (id: number) => `/api/v1/communities/${slug}/members/${id}`;
    assert.equal((await env().api.put(`${member(banned.id)}/ban`, { reason: "Scam" }, admin.auth)).status, 200);
    const suspension = { days: 7, reason: "Rude to customers" };
    assert.equal((await env().api.put(`${member(suspended.id)}/suspension`, suspension, admin.auth)).status, 200);
    // In a public community a removal without a ban changes nothing: anyone not banned takes part.
    assert.equal((await env().api.delete(member(removed.id), admin.auth)).status, 200);
    pastCache(env());

    const listed = await helperUrls(env(), slug);
    assert.deepEqual(listed, [good, removed].map((h) => profile(h.id)).sort());
    const found = await env().api.get(`/api/v1/communities/${slug}/offers?service=${service.id}`);
    assert.deepEqual(
      found.body.offers.map((o: { helper: { url: string } }) => o.helper.url).sort(),
      listed,
      "the same helpers as the search",
    );
    for (const h of helpers)
      assert.equal((await fetchPath(env(), profile(h.id))).status, listed.includes(profile(h.id)) ? 200 : 404);

    // The suspension over (and the cached sitemap with it), the helper is listed again.
    env().clock.advance(8 * 24 * 3600_000);
    assert.ok((await helperUrls(env(), slug)).includes(profile(suspended.id)));
  });
});
