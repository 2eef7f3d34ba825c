import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { unauthorized } from "../core/errors.ts";
import type { PageContext } from "../web/layout.ts";
import { pageContext } from "../web/layout.ts";
import { sendPage } from "../web/page.ts";
import { parseForm, type FormState } from "../web/forms.ts";
import { defineForm, definePage, type PageRoute } from "../web/page-route.ts";
import { idParams } from "../http/api.ts";
import { listMemberships } from "../communities/index.ts";
import {
  changeEmailBody,
  changePasswordBody,
  deleteAccountBody,
  sessionParams,
  tokenBody,
  updateMeBody,
} from "./accounts.schema.ts";
import { assertMayMintTokens, createApiToken, getUser, listApiTokens, revokeApiToken } from "./accounts.service.ts";
import { changePassword, requestEmailChange, updateMe } from "./accounts.me.ts";
import { resendVerification } from "./accounts.mail.ts";
import { listSessions, logOutEverywhere, revokeSession } from "./accounts.sessions.ts";
import { deleteAccount } from "./accounts.privacy.ts";
import { setAvatar } from "./accounts.avatars.ts";
import { readAvatarUpload, saveAvatarUpload, type AvatarUpload } from "./accounts.uploads.ts";
import { clearSessionCookie, sessionCookie } from "./session-cookie.ts";
import { SAVED_NOTICES, accountView, type AccountPageData, type AccountSection } from "./accounts.me.views.ts";

const ACCOUNT = "/me/account";
const saved = (notice: keyof typeof SAVED_NOTICES) => `${ACCOUNT}?saved=${notice}#main`;

const accountQuery = z.object({
  saved: z
    .enum(Object.keys(SAVED_NOTICES) as [keyof typeof SAVED_NOTICES])
    .optional()
    .catch(undefined),
});

const currentCookie = (page: PageContext) => sessionCookie(page.req);

/** Loads what the account page shows. */
async function accountData(deps: Deps, page: PageContext, actor: Actor): Promise<AccountPageData> {
  const [user, sessions, tokens] = await Promise.all([
    getUser(deps, actor.id),
    listSessions(deps.db, actor.id, deps.clock.now(), currentCookie(page)),
    listApiTokens(deps, actor.id),
  ]);
  return { user: user!, sessions, tokens };
}

/** The account page (/me/account) and its forms: each posts, then comes back with a notice or its errors. */
export function accountSettingsPages(deps: Deps): PageRoute[] {
  const again = (section: AccountSection) => async (input: { page: PageContext; actor: Actor; form: FormState }) =>
    accountView(input.page, {
      ...(await accountData(deps, input.page, input.actor)),
      failed: { section, form: input.form },
    });
  const wrongPassword = (field: string) => (page: PageContext) => ({
    forbidden: { [field]: page.t("me.password.wrong") },
  });

  return [
    definePage(deps, {
      path: ACCOUNT,
      auth: "required",
      query: accountQuery,
      render: async ({ page, actor, query }) =>
        accountView(page, { ...(await accountData(deps, page, actor)), saved: query.saved }),
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/profile`,
      schema: updateMeBody.pick({ name: true, handle: true }).required({ name: true }),
      run: async ({ actor, data }) => {
        await updateMe(deps, actor.id, data);
        return saved("profile");
      },
      rerender: again("profile"),
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/language`,
      schema: updateMeBody.pick({ language: true }).required(),
      toInput: (values) => ({ language: values.language || null }),
      run: async ({ actor, data }) => {
        await updateMe(deps, actor.id, data);
        return saved("language");
      },
      rerender: again("language"),
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/email`,
      schema: changeEmailBody,
      run: async ({ actor, data }) => {
        await requestEmailChange(deps, actor.id, data);
        return saved("email");
      },
      rerender: again("email"),
      refusals: (page) => ({ ...wrongPassword("password")(page), conflict: { email: page.t("me.email.taken") } }),
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/verification`,
      schema: z.object({}),
      run: async ({ actor }) => {
        await resendVerification(deps, await getUser(deps, actor.id));
        return saved("verification");
      },
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/password`,
      schema: changePasswordBody,
      run: async ({ page, actor, data }) => {
        await changePassword(deps, actor.id, data, currentCookie(page));
        return saved("password");
      },
      rerender: again("password"),
      refusals: wrongPassword("currentPassword"),
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/sessions/:id/revoke`,
      params: sessionParams,
      schema: z.object({}),
      run: async ({ actor, params }) => {
        await revokeSession(deps.db, actor.id, params.id);
        return saved("session");
      },
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/sessions/revoke-all`,
      schema: z.object({}),
      run: async ({ page, actor }) => {
        await logOutEverywhere(deps, actor.id, currentCookie(page));
        return saved("sessions");
      },
    }),
    createTokenForm(deps),
    ...inFirstCommunity(deps, "/me/profile", (slug, actor) => `/c/${slug}/u/${actor.id}`),
    ...inFirstCommunity(deps, "/me/bookings", (slug) => `/c/${slug}/service-friends/mine`),
    defineForm(deps, {
      path: `${ACCOUNT}/tokens/:id/revoke`,
      params: idParams,
      schema: z.object({}),
      run: async ({ actor, params }) => {
        await revokeApiToken(deps, actor.id, params.id);
        return saved("tokenRevoked");
      },
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/avatar/remove`,
      schema: z.object({}),
      run: async ({ actor }) => {
        await setAvatar(deps, actor.id, null);
        return saved("avatarRemoved");
      },
    }),
    defineForm(deps, {
      path: `${ACCOUNT}/delete`,
      schema: deleteAccountBody,
      run: async ({ page, actor, data }) => {
        await deleteAccount(deps, actor.id, data.password);
        clearSessionCookie(page.reply, deps.config.secureCookies);
        return "/";
      },
      rerender: again("delete"),
      refusals: wrongPassword("password"),
    }),
  ];
}

/** The header menu's link outside a community: the member's page in their first community (else the account page). */
function inFirstCommunity(deps: Deps, path: string, target: (slug: string, actor: Actor) => string): PageRoute[] {
  return [
    definePage(deps, {
      path,
      auth: "required",
      render: async ({ actor }) => {
        const [first] = await listMemberships(deps, actor.id);
        return { redirect: first ? target(first.community, actor) : ACCOUNT };
      },
    }),
  ];
}

/** Creating a token answers with the page itself: the token's value is shown once, never put in a URL. */
function createTokenForm(deps: Deps): PageRoute {
  return {
    method: "POST",
    path: `${ACCOUNT}/tokens`,
    handle: async (req, reply) => {
      const page = pageContext(req, reply, deps);
      if (!page.actor) throw unauthorized();
      assertMayMintTokens(page.actor);
      const parsed = parseForm(page, tokenBody);
      const data = await accountData(deps, page, page.actor);
      if (!parsed.ok)
        return sendPage(page, accountView(page, { ...data, failed: { section: "tokens", form: parsed } }), 422);
      const token = await createApiToken(deps, page.actor.id, parsed.data, currentCookie(page));
      const tokens = await listApiTokens(deps, page.actor.id);
      return sendPage(page, accountView(page, { ...data, tokens, newToken: token.token }));
    },
  };
}

/** The avatar form posts multipart: registered in the upload scope (accounts.uploads.ts). */
export function avatarFormPages(deps: Deps): PageRoute[] {
  const avatarError = (page: PageContext, upload: AvatarUpload) =>
    page.t(upload.truncated ? "me.avatar.tooLarge" : "me.avatar.invalid");
  return [
    defineForm<undefined, AvatarUpload>(deps, {
      path: `${ACCOUNT}/avatar`,
      load: async ({ page }) => {
        const upload = await readAvatarUpload(page.req);
        page.req.body = upload.fields;
        return upload;
      },
      schema: z.object({}),
      run: async ({ actor, context }) => {
        await saveAvatarUpload(deps, actor.id, context);
        return saved("avatar");
      },
      rerender: async ({ page, actor, context, form }) =>
        accountView(page, {
          ...(await accountData(deps, page, actor)),
          failed: {
            section: "avatar",
            // A refusal of the whole form (too many uploads) keeps its message; the image's own is about the file.
            form: { ...form, errors: form.errors._form ? form.errors : { avatar: avatarError(page, context) } },
          },
        }),
      refusals: (page) => ({ validation_failed: { avatar: page.t("me.avatar.invalid") } }),
    }),
  ];
}
