import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildUser, describeEachDatabase, type TestUser } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import { emailsTo, tokenIn, uniqueEmail } from "./support.ts";

// An email-change link whose address another account holds when it is opened: a clear refusal,
// and the link is not spent, so it works once the address is free again.
describeEachDatabase("accounts: an email change to an address taken meanwhile", (env) => {
  const askToMove = async (user: TestUser, email: string) => {
    const res = await env().api.put("/api/v1/me/email", { email, password: TEST_PASSWORD }, user.auth);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return tokenIn((await emailsTo(env(), email))[0].textBody, "/verify-email");
  };
  const setEmail = (userId: number, email: string) =>
    env().deps.db.updateTable("users").set({ email }).where("id", "=", userId).execute();
  const emailOf = async (user: TestUser) =>
    (await env().deps.db.selectFrom("users").select("email").where("id", "=", user.id).executeTakeFirstOrThrow()).email;

  test("the API answers 409 with the field, and the same link works once the address is free", async () => {
    const [user, other] = [await buildUser(env()), await buildUser(env())];
    const next = uniqueEmail();
    const token = await askToMove(user, next);
    await setEmail(other.id, next);

    const taken = await env().api.post("/api/v1/auth/verify-email", { token });
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.equal(await emailOf(user), user.email, "not moved");

    await setEmail(other.id, uniqueEmail());
    const moved = await env().api.post("/api/v1/auth/verify-email", { token });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.verified, next);
    assert.equal(await emailOf(user), next);
    assert.equal((await env().api.post("/api/v1/auth/verify-email", { token })).status, 422, "then it is spent");
    // The refusal's shape: {error: {code, message, fields}}.
    assert.equal(taken.body.error.code, "conflict");
    assert.equal(typeof taken.body.error.message, "string");
    assert.ok(taken.body.error.fields?.email, "the refused field");
  });

  test("the page says the address is taken, keeps the button, and the link works once it is free", async () => {
    const [user, other] = [await buildUser(env()), await buildUser(env())];
    const next = uniqueEmail();
    const token = await askToMove(user, next);
    await setEmail(other.id, next);
    const browser = await browse(env(), null);
    const url = `/verify-email/${encodeURIComponent(token)}`;

    const taken = await browser.submit(url);
    assert.equal(taken.status, 409);
    assert.match(taken.body, /Another account uses this email address/);
    assert.ok(taken.body.includes(`action="${url}"`), "the confirm button is still there");
    assert.equal(await emailOf(user), user.email);

    await setEmail(other.id, uniqueEmail());
    const moved = await browser.submit(url);
    assert.equal(moved.status, 303);
    assert.equal(moved.headers.location, "/verify-email/done");
    assert.equal(await emailOf(user), next);
  });

  test("two accounts confirming the same new address at once: one moves, the other gets 409", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite runs one writer at a time");
    for (let round = 0; round < 5; round++) {
      const [first, second] = [await buildUser(env()), await buildUser(env())];
      const next = uniqueEmail();
      const tokens = [await askToMove(first, next), await askToMove(second, next)];
      const answers = await Promise.all(tokens.map((token) => env().api.post("/api/v1/auth/verify-email", { token })));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], JSON.stringify(answers.map((a) => a.body)));
      const loser = answers[0].status === 409 ? first : second;
      const winner = loser === first ? second : first;
      assert.equal(await emailOf(winner), next);
      assert.equal(await emailOf(loser), loser.email);
      // The winner moves away again: the loser's link was not spent.
      await setEmail(winner.id, uniqueEmail());
      const retry = await env().api.post("/api/v1/auth/verify-email", { token: tokens[loser === first ? 0 : 1] });
      assert.equal(retry.status, 200, JSON.stringify(retry.body));
      assert.equal(await emailOf(loser), next);
    }
  });
});
