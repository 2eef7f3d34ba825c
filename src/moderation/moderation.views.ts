import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { actionButton, communityCrumbs, card } from "../web/components.ts";
import { hideButton, postPath, type PostPath } from "../topics/index.ts";
import type { PostRef } from "../topics/index.ts";
import type { Category } from "../db/schema.ts";
import { FLAG_REASONS } from "./moderation.schema.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { formAlert, radioGroup, textareaField } from "../web/fields.ts";
import { memberAbilities } from "./moderation.members.ts";
import type { ProfileSubject } from "../reputation/index.ts";

/** Moderation on pages: flag forms, hide and restore buttons, notices, the member panel and the moderate-topic page. */

/** "Flag" under posts of others that are visible (an action topics shows under each post). */
export function flagAction(page: PageContext, post: PostRef): Html | "" {
  return post.abilities.flag && post.moderationState === "visible" ? flagForm(page, post) : "";
}

/** "Flag" opens a small form: a reason and what is wrong (open, with the errors, when it came back refused). */
export function flagForm(
  page: PageContext,
  post: PostPath,
  form: FormState = blankForm({ reason: FLAG_REASONS[0] }),
): Html {
  const { t } = page;
  const id = `flag-${post.type}-${post.id}`;
  const labels = { reason: t("mod.flagReason"), text: t("mod.flagText") };
  const failed = Object.keys(form.errors).length > 0;
  return html`<details class="flag-form"${failed ? html` open` : ""}><summary>${t("mod.flag")}</summary>
<form method="post" action="${postPath(post)}/flag">${page.csrfField()}
${formAlert(page, form, labels, `${id}-`)}
${radioGroup({
  form,
  name: "reason",
  id: `${id}-reason`,
  label: labels.reason,
  options: FLAG_REASONS.map((r) => ({ value: r, label: t(`mod.reason.${r}`) })),
})}
${textareaField({ form, name: "text", id: `${id}-text`, label: labels.text, rows: 2, maxlength: 500 })}
<button type="submit" class="button small">${t("mod.flagSubmit")}</button>
</form></details>`;
}

/** The flag form alone, back with what was wrong with it (its post's page is one step back). */
export function flagPage(page: PageContext, post: PostPath, form: FormState): PageView {
  return { title: page.t("mod.flag"), content: html`<h1>${page.t("mod.flag")}</h1>${flagForm(page, post, form)}` };
}

/** On a member's profile: suspend (days and a reason they will see) or lift it, and warn. */
export function moderationPanel(
  page: PageContext,
  abilities: { suspend: boolean; warn: boolean; remove: boolean },
  member: { base: string; suspended: boolean },
): Html {
  const { t } = page;
  if (!abilities.suspend && !abilities.warn && !abilities.remove) return html``;
  const suspend = member.suspended
    ? actionButton(page, { action: `${member.base}/unsuspend`, label: t("mod.unsuspend") })
    : html`<form method="post" action="${member.base}/suspend" class="grid-form">${page.csrfField()}
<div class="field"><label for="suspend-days">${t("mod.suspendDays")}</label><input type="number" id="suspend-days"
  name="days" min="1" max="3650" value="7" required></div>
<div class="field"><label for="suspend-reason">${t("mod.suspendReason")}</label><textarea id="suspend-reason"
  name="reason" rows="2" maxlength="500" required></textarea></div>
<div class="actions"><button type="submit" class="button">${t("mod.suspend")}</button></div></form>`;
  const warn = abilities.warn
    ? html`<form method="post" action="${member.base}/warn" class="grid-form">${page.csrfField()}
<div class="field"><label for="warn-reason">${t("mod.warnReason")}</label><textarea id="warn-reason" name="reason"
  rows="2" maxlength="500" required></textarea></div>
<div class="actions"><button type="submit" class="button">${t("mod.warn")}</button></div></form>`
    : "";
  const remove = abilities.remove
    ? html`${actionButton(page, {
        action: `${member.base}/remove`,
        label: t("mod.remove"),
        className: "button danger",
      })}
<form method="post" action="${member.base}/ban" class="grid-form">${page.csrfField()}
<div class="field"><label for="ban-reason">${t("mod.banReason")}</label><textarea id="ban-reason" name="reason"
  rows="2" maxlength="500" required></textarea></div>
<div class="actions"><button type="submit" class="button danger">${t("mod.ban")}</button></div></form>`
    : "";
  return card({ id: "moderate-member", title: t("mod.memberPanel") }, abilities.suspend ? suspend : "", warn, remove);
}

export interface ModerateTopicData {
  community: { slug: string; name: string };
  topic: {
    id: number;
    title: string;
    url: string;
    categoryId: number | null;
    locked: boolean;
    moderationState: string;
  };
  categories: Category[];
  abilities: { lock: boolean; move: boolean; merge: boolean; hide: boolean };
  /** Why the merge form was refused, in the reader's language. */
  error: string | null;
  /** The topic number the refused merge form was sent with. */
  mergeInto: string;
}

/** Lock, move, merge, hide: one page of forms for a topic's moderators. */
export function moderateTopicView(page: PageContext, data: ModerateTopicData): PageView {
  const { t } = page;
  const { topic, abilities } = data;
  const base = `/c/${data.community.slug}/t/${topic.id}`;
  return {
    title: t("mod.moderateTitle", { title: topic.title }),
    content: html`${communityCrumbs(
      page,
      data.community,
      { label: topic.title, href: topic.url },
      { label: t("mod.moderate") },
    )}
<h1>${t("mod.moderateTitle", { title: topic.title })}</h1>
${data.error ? html`<div class="form-alert" role="alert"><p><strong>${data.error}</strong></p></div>` : ""}
${
  abilities.lock
    ? card(
        { id: "lock-title", title: t(topic.locked ? "mod.unlock" : "mod.lock") },
        html`<p>${t(topic.locked ? "mod.unlockHint" : "mod.lockHint")}</p>${actionButton(page, {
          action: `${base}/${topic.locked ? "unlock" : "lock"}`,
          label: t(topic.locked ? "mod.unlock" : "mod.lock"),
        })}`,
      )
    : ""
}
${
  abilities.move
    ? card(
        { id: "move-title", title: t("mod.move") },
        html`<form method="post" action="${base}/move" class="role-form">${page.csrfField()}<label
          for="move-category">${t("mod.moveTo")}</label>
<select id="move-category" name="categoryId"><option
  value="">${t("topic.noCategory")}</option>${data.categories.map(
    (c) => html`<option
    value="${c.id}"${c.id === topic.categoryId ? html` selected` : ""}>${c.name}</option>`,
  )}</select>
<button type="submit" class="button small">${t("mod.move")}</button></form>`,
      )
    : ""
}
${
  abilities.merge
    ? card(
        { id: "merge-title", title: t("mod.merge") },
        html`<form method="post" action="${base}/merge" class="role-form">${page.csrfField()}<label
          for="merge-into">${t("mod.mergeInto")}</label>
<input type="number" id="merge-into" name="intoTopicId" min="1" value="${data.mergeInto}" required>
<label><input type="checkbox" name="confirmPublish"> ${t("mod.mergeConfirm")}</label> <button type="submit"
  class="button small">${t("mod.merge")}</button></form><p class="hint">${t("mod.mergeHint")}</p>`,
      )
    : ""
}
${
  abilities.hide
    ? card(
        { id: "hide-title", title: t(topic.moderationState === "visible" ? "mod.hide" : "mod.restore") },
        hideButton(page, { slug: data.community.slug, type: "topic", id: topic.id, state: topic.moderationState }),
      )
    : ""
}
<p><a href="${topic.url}">${t("history.back")}</a></p>`,
  };
}

/** Suspend and warn on a member's profile (a profile panel), for those who may. */
export async function memberModerationPanel(page: PageContext, subject: ProfileSubject): Promise<Html> {
  const abilities = await memberAbilities(page.deps, subject.access, subject.userId);
  return moderationPanel(page, abilities, { base: subject.base, suspended: subject.suspended });
}
