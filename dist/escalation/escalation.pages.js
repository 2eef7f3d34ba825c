import { z } from "zod";
import { notFound } from "../core/errors.js";
import { slugParams } from "../http/api.js";
import { inCommunity } from "../communities/index.js";
import { definePage, defineForm } from "../web/page-route.js";
import { topicParams } from "../topics/index.js";
import { addNote, assign, caseFile, deescalate, escalate, resolve } from "./escalation.service.js";
import { listQueue } from "./escalation.queue.js";
import { listDeliveries, retryDelivery } from "./webhooks.js";
import { assignBody, deliveryParams, escalateBody, noteBody, queueQuery, resolveBody } from "./escalation.schema.js";
import { caseUrl, caseView, queueView } from "./escalation.views.js";
const none = z.object({});
/** The staff queue and the case page of a topic (staff only; others get the same refusal as the API). */
export function escalationPages(deps) {
    /** The load step of the case page and its forms: the case file, at its community's address only. */
    const staffCase = async ({ params, actor }) => {
        const file = await caseFile(deps, params.id, actor);
        if (file.community.slug !== params.slug)
            throw notFound("Topic");
        return file;
    };
    /** What every form on the case page shares: its address, the case file, and back to the case page. */
    const caseForm = (action) => ({
        path: `/c/:slug/t/:id/case/${action}`,
        params: topicParams,
        load: staffCase,
    });
    const back = (file) => caseUrl(file.community, file.topic.id);
    return [
        definePage(deps, {
            path: "/c/:slug/staff",
            params: slugParams,
            query: queueQuery.catch({}),
            auth: "required",
            load: inCommunity(deps),
            render: async ({ page, query: { assignee }, context: access }) => {
                const [items, deliveries] = await Promise.all([
                    listQueue(deps, access, { assignee }),
                    listDeliveries(deps, access),
                ]);
                return queueView(page, { community: access.community, items, assignee, deliveries });
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
            toInput: (v) => ({ userId: v.userId ? Number(v.userId) : null }),
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
            run: async ({ actor, context: file, data }) => {
                await resolve(deps, file.topic.id, actor, data.resolution);
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
