import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { notFound } from "../core/errors.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { submitForm, type FormState } from "../web/forms.ts";
import { topicWithAccess, toPublicTopic } from "../topics/topics.service.ts";
import { topicParams } from "../topics/topics.schema.ts";
import {
  addNote,
  assign,
  caseOf,
  deescalate,
  escalate,
  listNotes,
  resolve,
  staffMembers,
} from "./escalation.service.ts";
import { listQueue } from "./escalation.queue.ts";
import { listDeliveries, retryDelivery } from "./webhooks.ts";
import { assignBody, deliveryParams, escalateBody, noteBody, queueQuery, resolveBody } from "./escalation.schema.ts";
import { caseView, queueView } from "./escalation.views.ts";
import { signedInCommunityPage } from "../communities/community-page.ts";
import { communityAccess } from "../communities/communities.access.ts";

/** The staff queue and the case page of a topic (staff only; others get the same refusal as the API). */
export function registerEscalationPages(app: FastifyInstance, deps: Deps): void {
  app.get("/c/:slug/staff", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    const { assignee } = queueQuery.catch({}).parse(req.query);
    const [items, deliveries] = await Promise.all([
      listQueue(deps, access, { assignee }),
      listDeliveries(deps, access),
    ]);
    return sendPage(page, queueView(page, { community: access.community, items, assignee, deliveries }));
  });

  async function caseData(page: PageContext, params: unknown) {
    const actor = requireActor(page);
    const { slug, id } = pathParams(topicParams, params);
    const { row, access } = await topicWithAccess(deps, id, actor);
    if (access.community.slug !== slug) throw notFound("Topic");
    const supportCase = await caseOf(deps, access, id);
    const [notes, staff] = await Promise.all([listNotes(deps, id, actor), staffMembers(deps.db, access.community.id)]);
    return {
      actor,
      id,
      data: { community: access.community, topic: toPublicTopic(row, access.community), supportCase, notes, staff },
    };
  }

  app.get("/c/:slug/t/:id/case", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    return sendPage(page, caseView(page, (await caseData(page, req.params)).data));
  });

  /** A form on the case page: the same use case as the API, then back to the case page. */
  function caseAction<T>(
    path: string,
    schema: z.ZodType<T>,
    toInput: ((v: Record<string, string>) => unknown) | undefined,
    run: (actor: Actor, id: number, input: T) => Promise<unknown>,
    form?: "note" | "resolve",
  ) {
    app.post(`/c/:slug/t/:id/case/${path}`, async (req, reply) => {
      const page = pageContext(req, reply, deps);
      const { actor, id, data } = await caseData(page, req.params);
      const back = `/c/${data.community.slug}/t/${id}/case`;
      return submitForm(page, {
        schema,
        toInput,
        run: async (input) => {
          await run(actor, id, input);
          return back;
        },
        ...(form ? { rerender: (state: FormState) => caseView(page, data, { [form]: state }) } : {}),
      });
    });
  }
  caseAction("escalate", escalateBody, undefined, (actor, id, input) => escalate(deps, id, actor, input.note));
  caseAction("deescalate", z.object({}), undefined, (actor, id) => deescalate(deps, id, actor));
  caseAction(
    "assign",
    assignBody,
    (v) => ({ userId: v.userId ? Number(v.userId) : null }),
    (actor, id, input) => assign(deps, id, actor, input.userId),
  );
  caseAction("notes", noteBody, undefined, (actor, id, input) => addNote(deps, id, actor, input.body), "note");
  caseAction(
    "resolve",
    resolveBody,
    undefined,
    (actor, id, input) => resolve(deps, id, actor, input.resolution),
    "resolve",
  );

  app.post("/c/:slug/staff/deliveries/:deliveryId/retry", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { slug, deliveryId } = pathParams(deliveryParams, req.params);
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    return submitForm(page, {
      schema: z.object({}),
      run: async () => {
        await retryDelivery(deps, access, deliveryId);
        return `/c/${access.community.slug}/staff`;
      },
    });
  });
}
