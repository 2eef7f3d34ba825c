import { z } from "zod";
import { slugParams } from "../http/api.js";
import { listCategories, updateCategory } from "../communities/index.js";
import { categoryParams, updateCategoryBody } from "../communities/index.js";
import { inCommunity } from "../communities/index.js";
import { can } from "../access/privileges.js";
import { forbidden } from "../core/errors.js";
import { definePage, defineForm } from "../web/page-route.js";
import { routingSettings, setRoutingSettings } from "../routing/index.js";
import { routingSettingsBody } from "../routing/index.js";
import { deleteWebhook, getWebhook, setWebhook } from "./webhooks.js";
import { webhookBody } from "./escalation.schema.js";
import { supportSettingsView } from "./settings.views.js";
/** Form text to numbers: an empty field is null (no deadline), anything else must be a number. */
const minutes = (value) => (value?.trim() ? Number(value) : null);
const number = (value) => (value?.trim() ? Number(value) : undefined);
const categoryInput = (v) => ({
    scope: v.scope,
    expectation: v.expectation ?? "",
    firstResponseMinutes: minutes(v.firstResponseMinutes),
    resolutionMinutes: minutes(v.resolutionMinutes),
});
const routingInput = (v) => ({
    experts: number(v.experts),
    rerouteAfterMinutes: number(v.rerouteAfterMinutes),
    maxOpen: number(v.maxOpen),
});
const webhookInput = (v) => ({
    url: v.url?.trim() ?? "",
    secret: v.secret?.trim() || undefined,
    timeoutSeconds: number(v.timeoutSeconds),
    active: v.active !== "0",
});
/** The support settings page of a community and its forms (admins only). */
export function supportSettingsPages(deps) {
    /** The load step of the page and its forms: the community and the viewer's access, for its admins only. */
    const asAdmin = async (input) => {
        const access = await inCommunity(deps)(input);
        if (!can(access, "support.configure"))
            throw forbidden(input.page.t("support.adminsOnly"));
        return access;
    };
    const settingsPage = async (page, access, forms = {}) => {
        const [categories, routing, webhook] = await Promise.all([
            listCategories(deps, access.community.id),
            routingSettings(deps.db, access.community.id),
            getWebhook(deps, access),
        ]);
        return supportSettingsView(page, { community: access.community, categories, routing, webhook }, forms);
    };
    const back = (access, anchor) => `/c/${access.community.slug}/admin/support#${anchor}`;
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
            rerender: ({ page, context: access, params: { categoryId }, form }) => settingsPage(page, access, { category: { id: categoryId, form } }),
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
