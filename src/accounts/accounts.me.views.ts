import { LIMITS } from "../core/config.ts";
import { HANDLE_MAX, HANDLE_MIN } from "../lib/handles.ts";
import { LOCALE_NAMES, LOCALES, type MessageKey } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, selectField } from "../web/fields.ts";
import { actionButton, badge, card, timeAgo } from "../web/components.ts";
import { avatar, avatarUrl } from "../web/avatar.ts";
import type { User } from "../db/schema.ts";
import type { SessionDevice, SessionInfo } from "./accounts.sessions.ts";
import type { listApiTokens } from "./accounts.service.ts";

/** The sections of the account page whose forms can come back with errors. */
export type AccountSection = "profile" | "avatar" | "language" | "email" | "password" | "tokens" | "delete";

/** Notices after a change (`?saved=`), each with its message. */
export const SAVED_NOTICES = {
  profile: "me.saved.profile",
  language: "me.saved.language",
  avatar: "me.saved.avatar",
  avatarRemoved: "me.saved.avatarRemoved",
  email: "me.saved.email",
  password: "me.saved.password",
  sessions: "me.saved.sessions",
  session: "me.saved.session",
  verification: "me.saved.verification",
  tokenRevoked: "me.saved.tokenRevoked",
} as const satisfies Record<string, MessageKey>;
export type SavedNotice = keyof typeof SAVED_NOTICES;

export interface AccountPageData {
  user: User;
  sessions: SessionInfo[];
  tokens: Awaited<ReturnType<typeof listApiTokens>>;
  saved?: SavedNotice;
  /** The section whose form is shown again, with its values and errors. */
  failed?: { section: AccountSection; form: FormState };
  /** A token just created: its value, shown this once. */
  newToken?: string;
  /**
   * Only for an account without a password (single sign-on): it confirms a new email or its deletion by
   * a sign-in within the last `minutes`; `providers` sign it in again and come back.
   */
  reauth?: { recent: boolean; minutes: number; providers: { label: string; href: string }[] };
}

/** What an account without a password is told above its email and deletion forms: sign in again, if not recent. */
function reauthNotice(page: PageContext, data: AccountPageData): Html | "" {
  const { reauth } = data;
  if (!reauth) return "";
  const links = reauth.providers.map(
    (p) => html` <a class="button" href="${p.href}">${page.t("me.reauth.link", { provider: p.label })}</a>`,
  );
  return html`<p class="hint">${page.t("me.reauth.hint", { minutes: reauth.minutes })}</p>${
    reauth.recent ? "" : html`<p>${links}</p>`
  }`;
}

/** The current password, which confirms the email and deletion forms of an account that has one. */
function currentPasswordField(section: AccountSection, form: FormState, label: string, data: AccountPageData) {
  if (data.reauth) return "";
  return inputField({
    form,
    name: "password",
    id: fieldId(section, "password"),
    label,
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
}

/**
 * The page holds several forms with fields of the same name (two "password", two "name"): each field's
 * id is its section's prefix and its name, the anchor its section's error summary links to.
 */
const fieldId = (section: AccountSection, name: string) => `${section}-${name}`;

function formOf(data: AccountPageData, section: AccountSection, values: Record<string, string> = {}): FormState {
  return data.failed?.section === section ? data.failed.form : { values, errors: {} };
}

function profileSection(page: PageContext, data: AccountPageData): Html {
  const form = formOf(data, "profile", { name: data.user.name, handle: data.user.handle });
  const labels = { name: page.t("account.name"), handle: page.t("me.handle.label") };
  return card(
    { id: "profile-title", title: page.t("me.profile.title") },
    html`${formAlert(page, form, labels, fieldId("profile", ""))}<form method="post" action="/me/account/profile"
  novalidate>${page.csrfField()}${inputField({
    form,
    name: "name",
    id: fieldId("profile", "name"),
    label: labels.name,
    maxlength: LIMITS.nameMax,
    required: true,
  })}
${inputField({
  form,
  name: "handle",
  id: fieldId("profile", "handle"),
  label: labels.handle,
  hint: page.t("me.handle.hint", { min: HANDLE_MIN, max: HANDLE_MAX }),
  minlength: HANDLE_MIN,
  maxlength: HANDLE_MAX,
  autocomplete: "username",
  required: true,
})}
<button type="submit" class="button primary">${page.t("form.save")}</button></form>`,
  );
}

function avatarSection(page: PageContext, data: AccountPageData): Html {
  const { t } = page;
  const form = formOf(data, "avatar");
  const face = { name: data.user.name, avatarUrl: avatarUrl(data.user.avatarKey, 256) };
  return card(
    { id: "avatar-title", title: t("me.avatar.title") },
    html`<p>${avatar(face, "xl")}</p>${data.user.avatarKey ? "" : html`<p class="hint">${t("me.avatar.none")}</p>`}
${formAlert(page, form, { avatar: t("me.avatar.file") }, fieldId("avatar", ""))}<form method="post"
  action="/me/account/avatar" enctype="multipart/form-data" novalidate>${page.csrfField()}<div class="field"><label
  for="${fieldId("avatar", "avatar")}">${t("me.avatar.file")}</label><input id="${fieldId("avatar", "avatar")}"
  name="avatar" type="file"
  accept="image/jpeg,image/png,image/webp,image/gif" required></div>
<button type="submit" class="button primary">${t("me.avatar.upload")}</button></form>${
      data.user.avatarKey
        ? actionButton(page, { action: "/me/account/avatar/remove", label: t("me.avatar.remove"), className: "button" })
        : ""
    }`,
  );
}

function languageSection(page: PageContext, data: AccountPageData): Html {
  const { t } = page;
  const form = formOf(data, "language", { language: data.user.locale ?? "" });
  const options = [
    { value: "", label: t("me.language.browser") },
    ...LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
  ];
  return card(
    { id: "language-title", title: t("me.language.title") },
    html`<form method="post" action="/me/account/language" novalidate>${page.csrfField()}${selectField({
      form,
      name: "language",
      id: fieldId("language", "language"),
      label: t("me.language.title"),
      hint: t("me.language.hint"),
      options,
    })}<button type="submit" class="button primary">${t("form.save")}</button></form>`,
  );
}

function emailSection(page: PageContext, data: AccountPageData): Html {
  const { t } = page;
  const form = formOf(data, "email");
  const labels = { email: t("me.email.new"), password: t("me.password.current") };
  const verified = data.user.emailVerifiedAt !== null;
  return card(
    { id: "email-title", title: t("me.email.title") },
    html`<p>${t("me.email.current", { email: data.user.email })} ${badge(
      t(verified ? "me.email.verified" : "me.email.unverified"),
      verified ? "success" : "warning",
    )}</p>${verified ? "" : actionButton(page, { action: "/me/account/verification", label: t("me.email.resend") })}
${reauthNotice(page, data)}${formAlert(page, form, labels, fieldId("email", ""))}<form method="post"
  action="/me/account/email" novalidate>${page.csrfField()}
${inputField({
  form,
  name: "email",
  id: fieldId("email", "email"),
  label: labels.email,
  type: "email",
  autocomplete: "email",
  required: true,
})}
${currentPasswordField("email", form, labels.password, data)}<button type="submit"
  class="button primary">${t("me.email.submit")}</button></form>`,
  );
}

function passwordSection(page: PageContext, data: AccountPageData): Html {
  const { t } = page;
  const form = formOf(data, "password");
  const labels = { currentPassword: t("me.password.current"), password: t("me.password.new") };
  return card(
    { id: "password-title", title: t("me.password.title") },
    html`${formAlert(page, form, labels, fieldId("password", ""))}<form method="post"
  action="/me/account/password" novalidate>${page.csrfField()}${inputField({
    form,
    name: "currentPassword",
    id: fieldId("password", "currentPassword"),
    label: labels.currentPassword,
    type: "password",
    autocomplete: "current-password",
    required: true,
  })}${inputField({
    form,
    name: "password",
    id: fieldId("password", "password"),
    label: labels.password,
    type: "password",
    hint: t("account.passwordHint", { min: LIMITS.passwordMin }),
    autocomplete: "new-password",
    minlength: LIMITS.passwordMin,
    required: true,
  })}
<button type="submit" class="button primary">${t("me.password.submit")}</button></form>`,
  );
}

/** "Firefox on Windows", in the viewer's language; browser and system names are not translated. */
export function deviceLabel(page: PageContext, device: SessionDevice): string {
  if (!device) return page.t("me.sessions.unknownDevice");
  const browser = device.browser ?? page.t("me.sessions.browser");
  return device.system ? page.t("me.sessions.device", { browser, system: device.system }) : browser;
}

function sessionsSection(page: PageContext, data: AccountPageData): Html {
  const { t } = page;
  return card(
    { id: "sessions-title", title: t("me.sessions.title") },
    html`<ul class="session-list">${data.sessions.map(
      (s) =>
        html`<li><strong>${deviceLabel(page, s.client)}</strong> <span class="hint">${page.th("me.sessions.lastSeen", {
          time: timeAgo(page, s.lastSeenAt),
        })}</span>${
          s.current
            ? html` ${badge(t("me.sessions.current"), "info")}`
            : actionButton(page, {
                action: `/me/account/sessions/${s.id}/revoke`,
                label: t("me.sessions.revoke"),
                className: "button small",
              })
        }</li>`,
    )}</ul>${actionButton(page, { action: "/me/account/sessions/revoke-all", label: t("me.sessions.revokeAll") })}`,
  );
}

function tokensSection(page: PageContext, data: AccountPageData): Html {
  const { t } = page;
  const form = formOf(data, "tokens");
  return card(
    { id: "tokens-title", title: t("me.tokens.title") },
    html`<p class="hint">${t("me.tokens.hint")}</p>${
      data.newToken
        ? html`<div class="notice" role="status"><p>${t("me.tokens.created")}</p><p><code
  data-new-token>${data.newToken}</code></p></div>`
        : ""
    }${
      data.tokens.length === 0
        ? html`<p class="empty">${t("me.tokens.none")}</p>`
        : html`<ul class="token-list">${data.tokens.map(
            (token) =>
              html`<li><strong>${token.name}</strong> <span class="hint">${
                token.lastUsedAt
                  ? page.th("me.tokens.lastUsed", { time: timeAgo(page, token.lastUsedAt) })
                  : t("me.tokens.neverUsed")
              }</span>${actionButton(page, {
                action: `/me/account/tokens/${token.id}/revoke`,
                label: t("me.tokens.revoke"),
                className: "button small",
              })}</li>`,
          )}</ul>`
    }${formAlert(page, form, { name: t("me.tokens.name") }, fieldId("tokens", ""))}<form method="post"
  action="/me/account/tokens" novalidate>${page.csrfField()}${inputField({
    form,
    name: "name",
    id: fieldId("tokens", "name"),
    label: t("me.tokens.name"),
    maxlength: LIMITS.nameMax,
    required: true,
  })}<button type="submit" class="button">${t("me.tokens.create")}</button></form>`,
  );
}

function privacySection(page: PageContext, data: AccountPageData): Html {
  const { t } = page;
  const form = formOf(data, "delete");
  const labels = { password: t("me.password.current"), email: t("me.delete.typeEmail") };
  // An account without a password types its email address instead (after a recent sign-in).
  const typedEmail = data.reauth
    ? inputField({
        form,
        name: "email",
        id: fieldId("delete", "email"),
        label: labels.email,
        type: "email",
        autocomplete: "off",
        required: true,
      })
    : "";
  return html`${card(
    { id: "privacy-title", title: t("me.privacy.title") },
    html`<p class="hint">${t("me.privacy.exportHint")}</p><p><a class="button" href="/api/v1/me/export"
  download>${t("me.privacy.export")}</a></p>`,
  )}${card(
    { id: "delete-title", title: t("me.delete.title"), className: "danger-zone" },
    html`<p>${t("me.delete.hint")}</p>${reauthNotice(page, data)}${formAlert(page, form, labels, fieldId("delete", ""))}
<form method="post" action="/me/account/delete" novalidate>${page.csrfField()}${currentPasswordField(
      "delete",
      form,
      labels.password,
      data,
    )}${typedEmail}<button type="submit" class="button danger">${t("me.delete.submit")}</button></form>`,
  )}`;
}

export function accountView(page: PageContext, data: AccountPageData): PageView {
  const { t } = page;
  return {
    title: t("me.title"),
    content: html`<div class="account-sections">
<h1>${t("me.title")}</h1>
${data.saved ? html`<p class="notice" role="status">${t(SAVED_NOTICES[data.saved])}</p>` : ""}
${profileSection(page, data)}${avatarSection(page, data)}${languageSection(page, data)}${emailSection(page, data)}
${passwordSection(page, data)}${sessionsSection(page, data)}${tokensSection(page, data)}${privacySection(page, data)}
</div>`,
  };
}
