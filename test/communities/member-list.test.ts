import assert from "node:assert/strict";
import { test } from "node:test";
import { deletedEmail } from "../../src/accounts/index.ts";
import { addMember, buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";

describeEachDatabase("the member list of a community's admins", (env) => {
  /** The member ids a page of the list shows (each row's role form), and its link to the next page. */
  const listPage = async (url: string, cookie: string) => {
    const res = await env().app.inject({ url, headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    const ids = [...res.body.matchAll(/<form method="post" action="\/c\/[^/]+\/members\/(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
    const next = /<a class="button" rel="next" href="([^"]+)"/.exec(res.body)?.[1]?.replaceAll("&amp;", "&");
    return { ids, next };
  };

  test("leaves deleted accounts out and comes in pages, each linking to the next", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
    // Deleting an account now ends its memberships, but one deleted before that, or imported from an
    // archive, still has its row: anonymised, with its membership.
    const gone = members.member[1];
    await env()
      .deps.db.updateTable("users")
      .set({
        deletedAt: env().clock.now(),
        name: "Deleted member",
        email: deletedEmail(gone.id),
        passwordHash: "!deleted",
      })
      .where("id", "=", gone.id)
      .execute();

    const seen: number[] = [];
    let url: string | undefined = `/c/${slug}/members?limit=2`;
    let pages = 0;
    while (url) {
      const page = await listPage(url, admin.cookie);
      assert.ok(page.ids.length <= 2, `at most 2 a page: ${url}`);
      seen.push(...page.ids);
      url = page.next;
      pages += 1;
      assert.ok(pages <= 5, "the pages end");
    }
    const living = [admin.id, ...members.member.filter((m) => m !== gone).map((m) => m.id)];
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      living.sort((a, b) => a - b),
      "every living member once",
    );
    assert.equal(pages, 2);
    assert.ok(!seen.includes(gone.id), "the deleted account is not listed");
  });

  test("is in alphabetical order whatever the case of the names, on every page", async () => {
    const { community, slug, admin } = await buildCommunity(env());
    const names = ["bob", "Carla", "anna", "Dave", "émile"];
    const byName = new Map<string, number>();
    for (const name of names) {
      const user = await buildUser(env(), { name });
      await addMember(env(), community.id, user.id, "member");
      byName.set(name, user.id);
    }
    byName.set("Admin", admin.id);
    const seen: number[] = [];
    let url: string | undefined = `/c/${slug}/members?limit=2`;
    while (url) {
      const page = await listPage(url, admin.cookie);
      seen.push(...page.ids);
      url = page.next;
    }
    const id = (name: string) => byName.get(name) ?? -1;
    const alphabetical = ["anna", "bob", "Carla", "Dave"].map(id);
    assert.deepEqual(
      seen.filter((m) => alphabetical.includes(m)),
      alphabetical,
      "a lowercase name is not put after every capitalised one",
    );
    assert.equal(seen.length, names.length + 1, "each member once");
  });

  test("a limit out of range is refused", async () => {
    const { slug, admin } = await buildCommunity(env());
    const res = await env().app.inject({ url: `/c/${slug}/members?limit=0`, headers: { cookie: admin.cookie } });
    assert.equal(res.statusCode, 422, res.body);
  });
});
