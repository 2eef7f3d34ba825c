import type { Deps } from "../core/deps.ts";
import { requirePrivilege } from "../access/privileges.ts";
import { notFound } from "../core/errors.ts";
import { idParams } from "../http/api.ts";
import { topicPageWithRefusedForm, topicParams, topicWithAccess, toPublicTopic } from "../topics/index.ts";
import { blankForm, formNumber, type FormValues } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import type { Actor } from "../core/deps.ts";
import { createPollBody, pollVoteBody } from "./polls.schema.ts";
import { castVote, createPoll, pollTopicId, topicHasPoll } from "./polls.service.ts";
import { newPollView, POLL_BALLOT_FORM } from "./polls.views.ts";
import { refusedPage } from "../web/page.ts";

const pollParams = topicParams.pick({ slug: true }).extend({ id: idParams.shape.id });

/**
 * A datetime-local field has no zone: the form says it is UTC. Browsers send seconds (and
 * fractions) when the value or the field's step has them.
 */
const closingTime = (value: string | undefined) => {
  const local = value && /^(\d{4}-\d\d-\d\dT\d\d:\d\d)(:\d\d(?:\.\d{1,3})?)?$/.exec(value);
  if (!local) return value || undefined;
  return `${local[1]}${local[2] ?? ":00"}Z`;
};

const pollInput = (v: FormValues) => ({
  options: (v.options ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean),
  multiple: v.multiple === "on",
  closesAt: closingTime(v.closesAt),
});

/**
 * A single choice comes as `option`, several as one `option-<id>` checkbox each. The single id is read
 * strictly: `Number()` alone took "0x1" for option 1.
 */
const ballotInput = (v: FormValues) => ({
  optionIds: [
    ...(v.option ? [formNumber(v.option)] : []),
    ...Object.keys(v)
      .filter((name) => /^option-\d+$/.test(name))
      .map((name) => Number(name.slice("option-".length))),
  ],
});

/** The topic whose author or staff may add a poll to it, under its own community's address only. */
async function pollableTopic(deps: Deps, id: number, actor: Actor, slug: string) {
  const { row, access } = await topicWithAccess(deps, id, actor);
  if (access.community.slug !== slug) throw notFound("Topic");
  requirePrivilege(access, "poll.create", "Only the topic's author or staff can add a poll.", row.authorId);
  return toPublicTopic(row, access.community);
}

/** Adding a poll and voting, as plain forms. */
export function pollPages(deps: Deps): PageRoute[] {
  return [
    definePage(deps, {
      path: "/c/:slug/t/:id/poll",
      params: topicParams,
      auth: "required",
      render: async ({ page, actor, params }) => {
        const topic = await pollableTopic(deps, params.id, actor, params.slug);
        // A topic carries one poll: the form for a second (a stale link, the back button) would only be refused.
        if (await topicHasPoll(deps.db, topic.id)) return { redirect: `${topic.url}#poll` };
        // Nor is a form offered that a locked topic would refuse once filled in.
        if (topic.locked) throw refusedPage(page, "poll.topicLockedNoPoll");
        return newPollView(page, topic, blankForm());
      },
    }),
    defineForm(deps, {
      path: "/c/:slug/t/:id/poll",
      params: topicParams,
      schema: createPollBody,
      toInput: pollInput,
      load: ({ actor, params }) => pollableTopic(deps, params.id, actor, params.slug),
      run: async ({ actor, params, context: topic, data }) => {
        await createPoll(deps, params.id, actor, data);
        return `${topic.url}#poll`;
      },
      rerender: async ({ page, context: topic, form }) => newPollView(page, topic, form),
    }),
    defineForm(deps, {
      path: "/c/:slug/polls/:id/vote",
      params: pollParams,
      // The poll under its own community's address only: /c/other/polls/ID/vote is not found.
      load: async ({ params, actor }) => {
        const { row, access } = await topicWithAccess(deps, await pollTopicId(deps, params.id, actor), actor);
        if (access.community.slug !== params.slug) throw notFound("Poll");
        return row;
      },
      schema: pollVoteBody,
      toInput: ballotInput,
      run: async ({ actor, params, data, context: topic }) => {
        await castVote(deps, params.id, actor, data.optionIds);
        return `/c/${encodeURIComponent(params.slug)}/t/${topic.id}#poll`;
      },
      rerender: async ({ page, form, context: topic }) =>
        topicPageWithRefusedForm(deps, page, topic.id, {
          name: POLL_BALLOT_FORM,
          form,
        }),
    }),
  ];
}
