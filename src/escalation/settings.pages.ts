import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { listCategories, updateCategory } from "../communities/index.ts";
import { categoryParams, updateCategoryBody } from "../communities/index.ts";
import { inCommunity, type LoadedAccess } from "../communities/index.ts";
import { can } from "../access/privileges.ts";
import { refusedPage } from "../web/page.ts";
import type { PageContext } from "../web/layout.ts";
import type { FormValues } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { routingSettings, setRoutingSettings } from "../routing/index.ts";
import { routingSettingsBody } from "../routing/index.ts";
import { deleteWebhook, getWebhook, setWebhook } from "./webhooks.ts";
import { webhookBody } from "./escalation.schema.ts";
import { supportSettingsView, type SupportForms } from "./settings.views.ts";
import { formNumber, formNumberOrNull } from "../web/forms.ts";

// A field the form did not send keeps its stored value; a blank expectation or deadline clears it.
const categoryInput = (v: FormValues) => ({
  scope: v.scope,
  expectation: v.expectation,
  firstResponseMinutes: formNumberOrNull(v.firstResponseMinutes),
  resolutionMinutes: formNumberOrNull(v.resolutionMinutes),
});
const routingInput = (v: FormValues) => ({
  experts: formNumber(v.experts),
  rerouteAfterMinutes: formNumber(v.rerouteAfterMinutes),
  maxOpen: formNumber(v.maxOpen),
});
const webhookInput = (v: FormValues) => ({
  url: v.url?.trim() ?? "",
  secret: v.secret?.trim() || undefined,
  timeoutSeconds: formNumber(v.timeoutSeconds),
  active: v.active !== "0",
});

/** The support settings page of a community and its forms (admins only). */
export function supportSettingsPages(deps: Deps): PageRoute[] {
  /** The load step of the page and its forms: the community and the viewer's access, for its admins only. */
  const asAdmin = async (input: { params: { slug: string }; actor: Actor; page: PageContext }) => {
    const access = await inCommunity(deps)(input);
    if (!can(access, "support.configure")) throw refusedPage(input.page, "support.adminsOnly");
    return access;
  };
  const settingsPage = async (page: PageContext, access: LoadedAccess, forms: SupportForms = {}) => {
    const [categories, routing, webhook] = await Promise.all([
      listCategories(deps, access.community.id),
      routingSettings(deps.db, access.community.id),
      getWebhook(deps, access),
    ]);
    return supportSettingsView(page, { community: access.community, categories, routing, webhook }, forms);
  };
  const back = (access: LoadedAccess, anchor: string) => `/c/${access.community.slug}/admin/support#${anchor}`;

  return [
    definePage(deps, {
      path: "/c/:slug/admin/support",
      params: slugParams,
      auth: "required",
      load: asAdmin,
      render: ({ page, context: access }) => settingsPage(page, access),
    }),

    defineForm(deps, {
      path: "/c/:slug/admin/support/categories/:categoryId",
      params: categoryParams,
      load: asAdmin,
      schema: updateCategoryBody,
      toInput: categoryInput,
      run: async ({ context: access, params: { categoryId }, data }) => {
        await updateCategory(deps, access, categoryId, data);
        return back(access, `cat${categoryId}-title`);
      },
      rerender: ({ page, context: access, params: { categoryId }, form }) =>
        settingsPage(page, access, { category: { id: categoryId, form } }),
    }),

    defineForm(deps, {
      path: "/c/:slug/admin/support/routing",
      params: slugParams,
      load: asAdmin,
      schema: routingSettingsBody,
      toInput: routingInput,
      run: async ({ context: access, data }) => {
        await setRoutingSettings(deps, access, data);
        return back(access, "routing-title");
      },
      rerender: ({ page, context: access, form }) => settingsPage(page, access, { routing: form }),
    }),

    defineForm(deps, {
      path: "/c/:slug/admin/support/webhook",
      params: slugParams,
      load: asAdmin,
      schema: webhookBody,
      toInput: webhookInput,
      run: async ({ context: access, data }) => {
        await setWebhook(deps, access, data);
        return back(access, "webhook-title");
      },
      rerender: ({ page, context: access, form }) => settingsPage(page, access, { webhook: form }),
    }),

    defineForm(deps, {
      path: "/c/:slug/admin/support/webhook/delete",
      params: slugParams,
      load: asAdmin,
      schema: z.object({}),
      run: async ({ context: access }) => {
        await deleteWebhook(deps, access);
        return back(access, "webhook-title");
      },
    }),
  ];
}
