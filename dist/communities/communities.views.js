import { LOCALE_NAMES, LOCALES } from "../i18n/i18n.js";
import { html } from "../web/html.js";
import { formAlert, inputField, selectField, textareaField } from "../web/fields.js";
import { badge, breadcrumbs, timeAgo } from "../web/components.js";
import { ROLES } from "./communities.schema.js";
function communityCard(page, c) {
    return html `<li class="card community">
<h2><a href="/c/${c.slug}">${c.name}</a>${c.visibility === "private" ? html ` ${badge(page.t("community.private"), "warning")}` : ""}</h2>
${c.description ? html `<p>${c.description}</p>` : ""}
</li>`;
}
function createCommunityForm(page, form) {
    const { t } = page;
    const labels = {
        name: t("community.name"),
        slug: t("community.slug"),
        description: t("community.description"),
        visibility: t("community.visibility"),
        locale: t("community.locale"),
    };
    const values = { visibility: "public", locale: page.locale, ...form.values };
    const state = { ...form, values };
    return html `<section class="card" aria-labelledby="create-title">
<h2 id="create-title">${t("community.create")}</h2>
${formAlert(page, form, labels)}
<form method="post" action="/communities/new" novalidate class="grid-form">
${page.csrfField()}
${inputField({ form: state, name: "name", label: labels.name, maxlength: 80, required: true })}
${inputField({ form: state, name: "slug", label: labels.slug, hint: t("community.slugHint"), maxlength: 40, required: true })}
${textareaField({ form: state, name: "description", label: labels.description, rows: 2, maxlength: 500 })}
${selectField({
        form: state,
        name: "visibility",
        label: labels.visibility,
        options: [
            { value: "public", label: t("community.public") },
            { value: "private", label: t("community.privateOption") },
        ],
    })}
${selectField({ form: state, name: "locale", label: labels.locale, options: LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })) })}
<div class="actions"><button type="submit" class="button primary">${t("community.createSubmit")}</button></div>
</form>
</section>`;
}
/** The front page: the communities the viewer can see, and for platform admins a form to add one. */
export function homeView(page, communities, createForm) {
    const { t } = page;
    return {
        title: t("home.title"),
        content: html `<h1>${t("home.title")}</h1>
<p class="lead">${t("home.lead")}</p>
${communities.length
            ? html `<ul class="community-list" role="list">${communities.map((c) => communityCard(page, c))}</ul>`
            : html `<p class="empty">${t("home.empty")}</p>`}
${createForm ? createCommunityForm(page, createForm) : ""}`,
    };
}
/** Community admins set each member's role; one small form per member. */
export function membersView(page, community, members, error) {
    const { t } = page;
    const base = `/c/${community.slug}`;
    return {
        title: t("members.title", { community: community.name }),
        content: html `${breadcrumbs(page, [{ label: t("home.title"), href: "/" }, { label: community.name, href: base }, { label: t("members.heading") }])}
<h1>${t("members.title", { community: community.name })}</h1>
${error ? html `<div class="form-alert" role="alert"><p><strong>${error}</strong></p></div>` : ""}
<div class="table-wrap"><table class="members">
<caption class="sr-only">${t("members.heading")}</caption>
<thead><tr><th scope="col">${t("members.name")}</th><th scope="col">${t("members.role")}</th><th scope="col">${t("members.since")}</th></tr></thead>
<tbody>${members.map((m) => html `<tr>
<th scope="row">${m.name}</th>
<td><form method="post" action="${base}/members/${m.id}" class="role-form">${page.csrfField()}
<label class="sr-only" for="role-${m.id}">${t("members.roleOf", { name: m.name })}</label>
<select id="role-${m.id}" name="role">${ROLES.map((r) => html `<option value="${r}"${r === m.role ? html ` selected` : ""}>${t(`role.${r}`)}</option>`)}</select>
<button type="submit" class="button small">${t("members.save")}</button></form></td>
<td>${timeAgo(page, m.createdAt)}</td>
</tr>`)}</tbody>
</table></div>`,
    };
}
