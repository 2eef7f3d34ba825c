import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { notFound } from "../core/errors.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity } from "../communities/index.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { topicParams } from "../topics/index.ts";
import { addNote, assign, caseFile, deescalate, escalate, resolveCase } from "./escalation.service.ts";
import { listQueue } from "./escalation.queue.ts";
import { listDeliveries, retryDelivery } from "./webhooks.ts";
import { listHelpdeskEvents } from "./helpdesk.log.ts";
import { assignBody, deliveryParams, escalateBody, noteBody, queueQuery, resolveBody } from "./escalation.schema.ts";
import { caseUrl, caseView, queueView } from "./escalation.views.ts";
import { formNumberOrNull } from "../web/forms.ts";

const none = z.object({});

/** The staff queue and the case page of a topic (staff only; others get the same refusal as the API). */
export function escalationPages(deps: Deps): PageRoute[] {
  /** The load step of the case page and its forms: the case file, at its community's address only. */
  const staffCase = async ({ params, actor }: { params: z.infer<typeof topicParams>; actor: Actor }) => {
    const file = await caseFile(deps, params.id, actor);
    if (file.community.slug !== params.slug) throw notFound("Topic");
    return file;
  };
  /** What every form on the case page shares: its address, the case file, and back to the case page. */
  const caseForm = (action: string) => ({
    path: `/c/:slug/t/:id/case/${action}`,
    params: topicParams,
    load: staffCase,
  });
  const back = (file: Awaited<ReturnType<typeof staffCase>>) => caseUrl(file.community, file.topic.id);

  return [
    definePage(deps, {
      path: "/c/:slug/staff",
      params: slugParams,
      query: queueQuery.catch({}),
      auth: "required",
      load: inCommunity(deps),
      render: async ({ page, query: { assignee }, context: access }) => {
        const [items, deliveries, incoming] = await Promise.all([
          listQueue(deps, access, { assignee }),
          listDeliveries(deps, access),
          listHelpdeskEvents(deps, access),
        ]);
        return queueView(page, { community: access.community, items, assignee, deliveries, incoming });
      },
    }),

    definePage(deps, {
      path: "/c/:slug/t/:id/case",
      params: topicParams,
      auth: "required",
      load: staffCase,
      render: async ({ page, context: file }) => caseView(page, file),
    }),

    defineForm(deps, {
      ...caseForm("escalate"),
      schema: escalateBody,
      run: async ({ actor, context: file, data }) => {
        await escalate(deps, file.topic.id, actor, data.note);
        return back(file);
      },
    }),
    defineForm(deps, {
      ...caseForm("deescalate"),
      schema: none,
      run: async ({ actor, context: file }) => {
        await deescalate(deps, file.topic.id, actor);
        return back(file);
      },
    }),
    defineForm(deps, {
      ...caseForm("assign"),
      schema: assignBody,
      toInput: (v) => ({ userId: formNumberOrNull(v.userId) }),
      run: async ({ actor, context: file, data }) => {
        await assign(deps, file.topic.id, actor, data.userId);
        return back(file);
      },
    }),
    defineForm(deps, {
      ...caseForm("notes"),
      schema: noteBody,
      run: async ({ actor, context: file, data }) => {
        await addNote(deps, file.topic.id, actor, data.body);
        return back(file);
      },
      rerender: async ({ page, context: file, form }) => caseView(page, file, { note: form }),
    }),
    defineForm(deps, {
      ...caseForm("resolve"),
      schema: resolveBody,
      toInput: (v) =>
        v.resolution === "public"
          ? { resolution: "public", body: v.body ?? "", accept: v.accept === "on" }
          : { resolution: v.resolution, reason: v.reason ?? "" },
      run: async ({ actor, context: file, data }) => {
        await resolveCase(deps, file.topic.id, actor, data);
        return back(file);
      },
      rerender: async ({ page, context: file, form }) => caseView(page, file, { resolve: form }),
    }),

    defineForm(deps, {
      path: "/c/:slug/staff/deliveries/:deliveryId/retry",
      params: deliveryParams,
      load: inCommunity(deps),
      schema: none,
      run: async ({ context: access, params }) => {
        await retryDelivery(deps, access, params.deliveryId);
        return `/c/${access.community.slug}/staff`;
      },
    }),
  ];
}
