import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { AppError, unauthorized } from "../core/errors.ts";
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
import {
  RECENT_SIGN_IN_MINUTES,
  changePassword,
  hasPassword,
  recentSignIn,
  requestEmailChange,
  updateMe,
} from "./accounts.me.ts";
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
  return { user: user!, sessions, tokens, reauth: hasPassword(user!) ? undefined : await reauthOf(deps, page, actor) };
}

/**
 * For an account without a password (single sign-on only): whether its sign-in is recent enough to
 * change the email or delete the account, and the links that sign it in again and come back here.
 */
async function reauthOf(deps: Deps, page: PageContext, actor: Actor): Promise<AccountPageData["reauth"]> {
  const linked = await deps.db.selectFrom("userIdentities").select("provider").where("userId", "=", actor.id).execute();
  const back = encodeURIComponent(ACCOUNT);
  return {
    recent: await recentSignIn(deps, actor.id, currentCookie(page)),
    minutes: RECENT_SIGN_IN_MINUTES,
    providers: deps.config.oidcProviders
      .filter((p) => linked.some((l) => l.provider === p.name))
      .map((p) => ({ label: p.label, href: `/auth/oidc/${encodeURIComponent(p.name)}?next=${back}` })),
  };
}

/**
 * The password check's 403 is shown by the password field (of every form that asks for it); the request to
 * sign in again (an account without a password) carries its own message for the whole form.
 */
async function confirming<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden" && !error.explanation)
      throw new AppError("forbidden", error.message, { [field]: error.message }, { key: "me.password.wrong" });
    throw error;
  }
}

/** The account page (/me/account) and its forms: each posts, then comes back with a notice or its errors. */
export function accountSettingsPages(deps: Deps): PageRoute[] {
  const again = (section: AccountSection) => async (input: { page: PageContext; actor: Actor; form: FormState }) =>
    accountView(input.page, {
      ...(await accountData(deps, input.page, input.actor)),
      failed: { section, form: input.form },
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
      run: async ({ page, actor, data }) => {
        await confirming("password", () => requestEmailChange(deps, actor.id, data, currentCookie(page)));
        return saved("email");
      },
      rerender: again("email"),
      refusals: (page) => ({ conflict: { email: page.t("me.email.taken") } }),
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
        await confirming("currentPassword", () => changePassword(deps, actor.id, data, currentCookie(page)));
        return saved("password");
      },
      rerender: again("password"),
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
        const passwordless = { email: data.email, session: currentCookie(page) };
        await confirming("password", () => deleteAccount(deps, actor.id, data.password, passwordless));
        clearSessionCookie(page.reply, deps.config.secureCookies);
        return "/";
      },
      rerender: again("delete"),
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
