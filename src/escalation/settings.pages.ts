import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { listCategories, updateCategory } from "../communities/communities.service.ts";
import { categoryParams, updateCategoryBody } from "../communities/communities.schema.ts";
import { forbidden } from "../core/errors.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { submitForm, type FormValues } from "../web/forms.ts";

import { routingSettings, setRoutingSettings } from "../routing/routing.service.ts";
import { routingSettingsBody } from "../routing/routing.schema.ts";
import { deleteWebhook, getWebhook, setWebhook } from "./webhooks.ts";
import { webhookBody } from "./escalation.schema.ts";
import { supportSettingsView, type SupportForms } from "./settings.views.ts";
import { communityAccess } from "../communities/communities.access.ts";
import { can } from "../access/privileges.ts";

/** Form text to numbers: an empty field is null (no deadline), anything else must be a number. */
const minutes = (value: string | undefined) => (value?.trim() ? Number(value) : null);
const number = (value: string | undefined) => (value?.trim() ? Number(value) : undefined);

const categoryInput = (v: FormValues) => ({
  scope: v.scope,
  expectation: v.expectation ?? "",
  firstResponseMinutes: minutes(v.firstResponseMinutes),
  resolutionMinutes: minutes(v.resolutionMinutes),
});
const routingInput = (v: FormValues) => ({
  experts: number(v.experts),
  rerouteAfterMinutes: number(v.rerouteAfterMinutes),
  maxOpen: number(v.maxOpen),
});
const webhookInput = (v: FormValues) => ({
  url: v.url?.trim() ?? "",
  secret: v.secret?.trim() || undefined,
  timeoutSeconds: number(v.timeoutSeconds),
  active: v.active !== "0",
});

/** The support settings page of a community (admins only). */
export function registerSupportSettingsPages(app: FastifyInstance, deps: Deps): void {
  async function adminAccess(page: PageContext, params: unknown) {
    requireActor(page);
    const access = await communityAccess(deps, { slug: pathParams(slugParams, params).slug }, page.actor);
    if (!can(access, "support.configure")) throw forbidden(page.t("support.adminsOnly"));
    return access;
  }

  async function render(page: PageContext, access: Awaited<ReturnType<typeof adminAccess>>, forms: SupportForms = {}) {
    const [categories, routing, webhook] = await Promise.all([
      listCategories(deps, access.community.id),
      routingSettings(deps.db, access.community.id),
      getWebhook(deps, access),
    ]);
    return supportSettingsView(page, { community: access.community, categories, routing, webhook }, forms);
  }

  app.get("/c/:slug/admin/support", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    return sendPage(page, await render(page, await adminAccess(page, req.params)));
  });

  app.post("/c/:slug/admin/support/categories/:categoryId", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await adminAccess(page, req.params);
    const { categoryId } = pathParams(categoryParams, req.params);
    return submitForm(page, {
      schema: updateCategoryBody,
      toInput: categoryInput,
      run: async (input) => {
        await updateCategory(deps, access, categoryId, input);
        return `/c/${access.community.slug}/admin/support#cat${categoryId}-title`;
      },
      rerender: (form) => render(page, access, { category: { id: categoryId, form } }),
    });
  });

  app.post("/c/:slug/admin/support/routing", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await adminAccess(page, req.params);
    return submitForm(page, {
      schema: routingSettingsBody,
      toInput: routingInput,
      run: async (input) => {
        await setRoutingSettings(deps, access, input);
        return `/c/${access.community.slug}/admin/support#routing-title`;
      },
      rerender: (form) => render(page, access, { routing: form }),
    });
  });

  app.post("/c/:slug/admin/support/webhook", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await adminAccess(page, req.params);
    return submitForm(page, {
      schema: webhookBody,
      toInput: webhookInput,
      run: async (input) => {
        await setWebhook(deps, access, input);
        return `/c/${access.community.slug}/admin/support#webhook-title`;
      },
      rerender: (form) => render(page, access, { webhook: form }),
    });
  });

  app.post("/c/:slug/admin/support/webhook/delete", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await adminAccess(page, req.params);
    return submitForm(page, {
      schema: z.object({}),
      run: async () => {
        await deleteWebhook(deps, access);
        return `/c/${access.community.slug}/admin/support#webhook-title`;
      },
    });
  });
}
