import { html } from "../web/html.js";
import { badge, breadcrumbs, timeAgo } from "../web/components.js";
const crumbs = (page, community, label) => breadcrumbs(page, [
    { label: page.t("home.title"), href: "/" },
    { label: community.name, href: `/c/${community.slug}` },
    { label },
]);
function itemActions(page, slug, item, allowed) {
    const { t } = page;
    const id = `item-${item.id}`;
    const buttons = allowed.filter((a) => a !== "edit" && a !== "warn");
    return html `<form method="post" action="/c/${slug}/review-queue/${item.id}" class="review-actions">${page.csrfField()}
<div class="field"><label for="${id}-reason">${t("mod.reasonForAuthor")}</label><input type="text" id="${id}-reason" name="reason" maxlength="500"></div>
<div class="post-actions">${buttons.map((a) => html `<button type="submit" name="action" value="${a}" class="button small${a === "approve" ? " success" : ""}">${t(`mod.action.${a}`)}</button>`)}${allowed.includes("warn")
        ? html `<button type="submit" name="action" value="warn" class="button small subtle">${t("mod.action.warn")}</button>`
        : ""}</div>
${allowed.includes("edit") && item.post.type !== "comment"
        ? html `<details><summary>${t("mod.action.edit")}</summary><div class="field"><label for="${id}-body">${t("mod.editBody")}</label><textarea id="${id}-body" name="body" rows="4">${item.post.excerpt}</textarea></div>
<button type="submit" name="action" value="edit" class="button small">${t("mod.editApprove")}</button></details>`
        : ""}
</form>`;
}
/** The review queue: each item with its post, why it is here, its flags, and the actions the reviewer may take. */
export function reviewQueueView(page, data) {
    const { t } = page;
    const slug = data.community.slug;
    return {
        title: t("mod.queue"),
        content: html `${crumbs(page, data.community, t("mod.queue"))}
<h1>${t("mod.queue")}</h1>
<nav class="tabs" aria-label="${t("mod.queueFilter")}"><ul role="list">${["open", "approved", "hidden", "deleted"].map((s) => html `<li><a href="/c/${slug}/review-queue?status=${s}"${s === data.status ? html ` aria-current="page"` : ""}>${t(`mod.queueStatus.${s}`)}</a></li>`)}</ul></nav>
${data.items.length
            ? html `<ol class="review-list" role="list">${data.items.map((item) => html `<li><article class="card review-item" aria-labelledby="review-${item.id}">
<h2 id="review-${item.id}">${badge(t(`mod.why.${item.reason}`), item.reason === "flags" ? "warning" : "info")} ${t(`mod.postType.${item.post.type}`)}${item.post.topic
                ? html `: ${item.post.url ? html `<a href="${item.post.url}">${item.post.topic.title}</a>` : item.post.topic.title}`
                : ""}</h2>
<p class="byline">${page.th("post.byline", { name: html `<a class="author" href="/c/${slug}/u/${item.post.author.id}">${item.post.author.name}</a>`, time: timeAgo(page, item.createdAt) })} · ${t(`mod.state.${item.post.state}`)}</p>
<blockquote class="excerpt">${item.post.excerpt}</blockquote>
${item.details.signals?.length ? html `<p class="hint">${t("mod.signals")} ${item.details.signals.join("; ")}</p>` : ""}
${item.flags.length
                ? html `<ul class="flags-list">${item.flags.map((f) => html `<li>${badge(t(`mod.reason.${f.reason}`), f.trusted ? "warning" : "neutral")} ${f.text} <span class="hint">${f.by.name}${f.trusted ? ` · ${t("mod.trusted")}` : ""}</span></li>`)}</ul>`
                : ""}
${item.status === "open" ? itemActions(page, slug, item, data.allowed) : ""}
</article></li>`)}</ol>`
            : html `<p class="empty">${t("mod.queueEmpty")}</p>`}
${data.more ? html `<p class="more"><a class="button" rel="next" href="${data.more}">${t("list.more")}</a></p>` : ""}`,
    };
}
/** Every moderator and admin action, newest first, for admins. */
export function auditLogView(page, data) {
    const { t } = page;
    return {
        title: t("mod.audit"),
        content: html `${crumbs(page, data.community, t("mod.audit"))}
<h1>${t("mod.audit")}</h1>
${data.entries.length
            ? html `<div class="table-wrap"><table class="audit"><caption class="sr-only">${t("mod.audit")}</caption>
<thead><tr><th scope="col">${t("mod.auditWhen")}</th><th scope="col">${t("mod.auditWho")}</th><th scope="col">${t("mod.auditAction")}</th><th scope="col">${t("mod.auditTarget")}</th><th scope="col">${t("mod.auditDetails")}</th></tr></thead>
<tbody>${data.entries.map((e) => html `<tr><td>${timeAgo(page, e.createdAt)}</td><td>${e.actor ? e.actor.name : t("mod.system")}</td><td><code>${e.action}</code></td><td>${e.target.type}${e.target.id !== null ? ` #${e.target.id}` : ""}</td><td><code class="details">${JSON.stringify(e.details)}</code></td></tr>`)}</tbody></table></div>`
            : html `<p class="empty">${t("mod.auditEmpty")}</p>`}
${data.more ? html `<p class="more"><a class="button" rel="next" href="${data.more}">${t("list.more")}</a></p>` : ""}`,
    };
}
