import { test } from "node:test";
import assert from "node:assert/strict";
import { translator } from "../../src/i18n/i18n.ts";
import { escapeHtml } from "../../src/web/html.ts";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { postForm } from "./web-helpers.ts";

/** The detail line of an error page, as the page shows it. */
const detailOf = (body: string) => /<p class="error-detail">([^<]*)<\/p>/.exec(body)?.[1];

describeEachDatabase("a refused form explains itself in the reader's language", (env) => {
  test("a form post without its CSRF token says why in every language, signed in or not", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const topic = await buildTopic(env(), slug, member);
    for (const locale of ["en", "de", "fr", "it"] as const) {
      const expected = escapeHtml(translator(locale)("error.csrf"));
      const headers = { "accept-language": locale };
      const signedIn = await postForm(
        env(),
        `/c/${slug}/t/${topic.id}/reply`,
        { body: "A reply without the form's token" },
        member.cookie,
        headers,
      );
      assert.equal(signedIn.status, 403, locale);
      assert.match(signedIn.body, new RegExp(`<html lang="${locale}"`));
      assert.equal(detailOf(signedIn.body), expected, `${locale}: the page says the form expired`);
      const anonymous = await postForm(env(), "/login", { email: "a@example.com", password: "x" }, "", headers);
      assert.equal(anonymous.status, 403, locale);
      assert.equal(detailOf(anonymous.body), expected, `${locale}: the login form says it expired`);
    }
  });
});
