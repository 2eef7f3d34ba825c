import type { Community, Role } from "../db/schema.ts";
import { LOCALE_NAMES, LOCALES } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, selectField, textareaField } from "../web/fields.ts";
import { badge, communityCrumbs, timeAgo, card } from "../web/components.ts";
import { ROLES, type MembersQuery } from "./communities.schema.ts";

function communityCard(page: PageContext, c: Community): Html {
  return html`<li class="card community">
<h2><a href="/c/${c.slug}">${c.name}</a>${
    c.visibility === "private" ? html` ${badge(page.t("community.private"), "warning")}` : ""
  }</h2>
${c.description ? html`<p>${c.description}</p>` : ""}
</li>`;
}

function communityLabels(page: PageContext) {
  const { t } = page;
  return {
    name: t("community.name"),
    slug: t("community.slug"),
    description: t("community.description"),
    visibility: t("community.visibility"),
    locale: t("community.locale"),
    timeZone: t("community.timeZone"),
  };
}

/** The fields a community is described by, in the creation form and the admins' settings alike. */
function communityFields(
  page: PageContext,
  form: FormState,
  labels: ReturnType<typeof communityLabels>,
  afterName: Html | string = "",
): Html {
  const { t } = page;
  return html`${inputField({ form, name: "name", label: labels.name, maxlength: 80, required: true })}
${afterName}
${textareaField({ form, name: "description", label: labels.description, rows: 2, maxlength: 500 })}
${selectField({
  form,
  name: "visibility",
  label: labels.visibility,
  options: [
    { value: "public", label: t("community.public") },
    { value: "private", label: t("community.privateOption") },
  ],
})}
${selectField({
  form,
  name: "locale",
  label: labels.locale,
  options: LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
})}`;
}

function createCommunityForm(page: PageContext, form: FormState): Html {
  const { t } = page;
  const labels = communityLabels(page);
  const values = { visibility: "public", locale: page.locale, ...form.values };
  const state = { ...form, values };
  return card(
    { id: "create-title", title: t("community.create") },
    html`
${formAlert(page, form, labels)}
<form method="post" action="/communities/new" novalidate class="grid-form">
${page.csrfField()}
${communityFields(
  page,
  state,
  labels,
  inputField({
    form: state,
    name: "slug",
    label: labels.slug,
    hint: t("community.slugHint"),
    maxlength: 40,
    required: true,
  }),
)}
<div class="actions"><button type="submit" class="button primary">${t("community.createSubmit")}</button></div>
</form>
`,
  );
}

/**
 * The admins' card for the community itself on the settings page: name, description, visibility,
 * language and the time zone every page, notification and email shows times in.
 */
export function communitySettingsCard(page: PageContext, data: { action: string; form: FormState }): Html {
  const { t } = page;
  const labels = communityLabels(page);
  return card(
    { id: "community-settings", title: t("set.community") },
    html`
${formAlert(page, data.form, labels)}
<form method="post" action="${data.action}" novalidate class="grid-form">${page.csrfField()}
${communityFields(page, data.form, labels)}
${inputField({
  form: data.form,
  name: "timeZone",
  label: labels.timeZone,
  hint: t("community.timeZoneHint"),
  maxlength: 64,
  required: true,
})}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form>`,
  );
}

/** The front page: the communities the viewer can see, and for platform admins a form to add one. */
export function homeView(page: PageContext, communities: Community[], createForm: FormState | null): PageView {
  const { t } = page;
  return {
    title: t("home.title"),
    content: html`<h1>${t("home.title")}</h1>
<p class="lead">${t("home.lead")}</p>
${
  communities.length
    ? html`<ul class="community-list" role="list">${communities.map((c) => communityCard(page, c))}</ul>`
    : html`<p class="empty">${t("home.empty")}</p>`
}
${createForm ? createCommunityForm(page, createForm) : ""}`,
  };
}

export interface MemberRow {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
}

/** Community admins set each member's role; one small form per member. */
export function membersView(
  page: PageContext,
  community: Pick<Community, "slug" | "name">,
  members: MemberRow[],
  error: string | null,
  /** The page of the list shown: each role form posts it back, so the answer shows the same page. */
  shown: MembersQuery,
  /** The next page's address; null on the last page. */
  more: string | null,
): PageView {
  const { t } = page;
  const base = `/c/${community.slug}`;
  return {
    title: t("members.title", { community: community.name }),
    content: html`${communityCrumbs(page, community, { label: t("members.heading") })}
<h1>${t("members.title", { community: community.name })}</h1>
${error ? html`<div class="form-alert" role="alert"><p><strong>${error}</strong></p></div>` : ""}
<div class="table-wrap"><table class="members">
<caption class="sr-only">${t("members.heading")}</caption>
<thead><tr><th scope="col">${t("members.name")}</th><th scope="col">${t("members.role")}</th><th
  scope="col">${t("members.since")}</th></tr></thead>
<tbody>${members.map(
      (m) => html`<tr>
<th scope="row">${m.name}</th>
<td><form method="post" action="${base}/members/${m.id}" class="role-form">${page.csrfField()}
<input type="hidden" name="limit" value="${shown.limit}"><input type="hidden" name="offset" value="${shown.offset}">
<label class="sr-only" for="role-${m.id}">${t("members.roleOf", { name: m.name })}</label>
<select id="role-${m.id}" name="role">${ROLES.map(
        (r) => html`<option
  value="${r}"${r === m.role ? html` selected` : ""}>${t(`role.${r}`)}</option>`,
      )}</select>
<button type="submit" class="button small">${t("members.save")}</button></form></td>
<td>${timeAgo(page, m.createdAt)}</td>
</tr>`,
    )}</tbody>
</table></div>
${more ? html`<p class="more"><a class="button" rel="next" href="${more}">${t("members.more")}</a></p>` : ""}`,
  };
}
