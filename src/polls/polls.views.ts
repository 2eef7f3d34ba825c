import { topicBase } from "../topics/index.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { breadcrumbs, timeAgo } from "../web/components.ts";
import { formAlert, inputField, textareaField } from "../web/fields.ts";
import type { FormState } from "../web/forms.ts";
import { loginUrl } from "../web/page.ts";
import { POLL_OPTION_MAX, POLL_OPTIONS_MAX } from "./polls.schema.ts";
import type { PollView } from "./polls.service.ts";

/**
 * Each option's share of the members who voted: in a multiple-choice poll an option all of them
 * chose shows 100%, not its part of all the ticks, and the shares may add up to more than 100%.
 */
function results(page: PageContext, poll: PollView): Html {
  const voters = poll.voters ?? 0;
  // Written the reader's way: "50%", "50 %" (German, French).
  const percent = new Intl.NumberFormat(page.locale, { style: "percent" });
  return html`<ul class="poll-results" role="list">${poll.options.map((o) => {
    const share = voters ? Math.round(((o.votes ?? 0) * 100) / voters) : 0;
    return html`<li${poll.myVote.includes(o.id) ? html` class="mine"` : ""}><span class="poll-label">${o.label}${
      poll.myVote.includes(o.id) ? html` <span class="sr-only">${page.t("poll.yourChoice")}</span>✓` : ""
    }</span> <meter min="0" max="100" value="${share}" aria-hidden="true"></meter> <span class="poll-count">${page.tn(
      "poll.votes",
      o.votes ?? 0,
    )} (${percent.format(share / 100)})</span></li>`;
  })}</ul>
<p class="hint">${page.tn("poll.voters", poll.voters ?? 0)}</p>`;
}

/** The name of the ballot form, when it is shown again refused. */
export const POLL_BALLOT_FORM = "poll-ballot";

function ballot(page: PageContext, poll: PollView, action: string, form?: FormState): Html {
  const type = poll.multiple ? "checkbox" : "radio";
  // Refused, the ballot shows what was ticked then; otherwise the member's vote.
  const ticked = (id: number) =>
    form ? form.values.option === String(id) || `option-${id}` in form.values : poll.myVote.includes(id);
  const error = form?.errors.optionIds;
  const legend = page.t(poll.multiple ? "poll.chooseSeveral" : "poll.chooseOne");
  return html`${form ? formAlert(page, form, { optionIds: legend }, "poll-") : ""}<form method="post" action="${action}"
  class="poll-ballot">${page.csrfField()}
<fieldset id="poll-optionIds"${
    error ? html` class="has-error" aria-describedby="poll-optionIds-error"` : ""
  }><legend>${legend}</legend>
${poll.options.map(
  (o) =>
    html`<label class="radio" for="poll-option-${o.id}"><input type="${type}" id="poll-option-${o.id}" name="${
      poll.multiple ? `option-${o.id}` : "option"
    }" value="${o.id}"${ticked(o.id) ? html` checked` : ""}${
      !poll.multiple ? html` required` : ""
    }> ${o.label}</label>`,
)}
${error ? html`<p class="field-error" id="poll-optionIds-error">${error}</p>` : ""}
</fieldset>
<button type="submit" class="button">${page.t(poll.myVote.length ? "poll.changeVote" : "poll.vote")}</button></form>`;
}

/**
 * Why there is no ballot, for a member who tried to vote: the refusal (the topic locked or the
 * member suspended meanwhile) said once, with no link to a ballot that is not shown; else the topic
 * locked, said to everyone.
 */
function noBallot(page: PageContext, poll: PollView, form?: FormState): Html | "" {
  if (form && Object.keys(form.errors).length)
    return formAlert(page, { ...form, errors: { _form: Object.values(form.errors).join(" ") } });
  return poll.topicLocked ? html`<p class="notice" role="status">🔒 ${page.t("poll.topicLocked")}</p>` : "";
}

/**
 * A topic's poll: the ballot for members who may vote, the results for those who may see them.
 * A locked topic's poll shows its results and why nobody votes, instead of the ballot.
 */
export function pollPanel(page: PageContext, poll: PollView, voteAction: string, form?: FormState): Html {
  const status = poll.closed
    ? html`<p class="hint">${page.th("poll.closedAt", { time: timeAgo(page, poll.closesAt!) })}</p>`
    : poll.closesAt
      ? html`<p class="hint">${page.th("poll.closesAt", { time: timeAgo(page, poll.closesAt) })}</p>`
      : "";
  const open = !poll.closed && !poll.topicLocked;
  return html`<section class="card poll" id="poll" aria-labelledby="poll-title">
<h2 id="poll-title">${page.t("poll.title")}</h2>
${status}
${poll.abilities.vote ? ballot(page, poll, voteAction, form) : noBallot(page, poll, form)}
${poll.resultsVisible ? results(page, poll) : html`<p class="hint">${page.t("poll.resultsAfterVote")}</p>`}
${!page.actor && open ? html`<p><a href="${loginUrl(page.path)}">${page.t("poll.loginToVote")}</a></p>` : ""}
</section>`;
}

/** The link to add a poll, for the topic's author and staff. */
export function addPollLink(page: PageContext, topicBase: string): Html {
  return html`<p class="notice-inline"><a href="${topicBase}/poll">${page.t("poll.add")}</a></p>`;
}

/** The form that adds a poll to a topic. */
export function newPollView(
  page: PageContext,
  topic: { title: string; url: string; community: string; id: number },
  form: FormState,
): PageView {
  const { t } = page;
  return {
    title: t("poll.addTitle", { title: topic.title }),
    content: html`${breadcrumbs(page, [{ label: topic.title, href: topic.url }, { label: t("poll.add") }])}
<h1>${t("poll.addTitle", { title: topic.title })}</h1>
<form method="post" action="${topicBase(topic)}/poll" class="stack">${page.csrfField()}
${formAlert(page, form, { options: t("poll.options"), closesAt: t("poll.closes") })}
${textareaField({
  form,
  name: "options",
  label: t("poll.options"),
  hint: t("poll.optionsHint", { max: POLL_OPTIONS_MAX }),
  rows: 6,
  maxlength: POLL_OPTIONS_MAX * (POLL_OPTION_MAX + 1),
  required: true,
})}
<div class="field"><label class="radio" for="multiple"><input type="checkbox" id="multiple" name="multiple" value="on"${
      form.values.multiple ? html` checked` : ""
    }> ${t("poll.multiple")}</label></div>
${inputField({ form, name: "closesAt", type: "datetime-local", label: t("poll.closes"), hint: t("poll.closesHint") })}
<button type="submit" class="button">${t("poll.create")}</button></form>`,
  };
}
