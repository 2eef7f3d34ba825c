import { defineApi, idParams, slugParams } from "../http/api.js";
import { MARKET_LIMITS } from "./marketplace.schema.js";
import * as applications from "./applications.service.js";
import * as catalog from "./catalog.service.js";
import { helperProfile, searchOffers } from "./finder.service.js";
import { settingsOf, updateSettings } from "./marketplace.settings.js";
import { payoutCsv } from "./payments.js";
import { applicationBody, decisionBody, helperParams, listApplicationsQuery, offerBody, payoutQuery, searchOffersQuery, serviceBody, settingsBody, } from "./marketplace.schema.js";
import { communityAccess } from "../communities/index.js";
/** Helpers, catalog, offers, search and settings. Bookings and dispatch: bookings.routes.ts. */
export function marketplaceRoutes(deps) {
    return [
        defineApi({
            method: "GET",
            path: "/communities/:slug/services",
            tag: "marketplace",
            summary: "The service catalog with recommended maximum prices",
            params: slugParams,
            handler: async ({ actor, params }) => {
                const access = await communityAccess(deps, { slug: params.slug }, actor);
                const [services, settings] = await Promise.all([
                    catalog.listServices(deps.db, access.community.id),
                    settingsOf(deps.db, access.community.id),
                ]);
                return { currency: settings.currency, services: services.map(catalog.toPublicService) };
            },
        }),
        defineApi({
            method: "POST",
            path: "/communities/:slug/services",
            tag: "marketplace",
            summary: "Add a service to the catalog (staff)",
            auth: "required",
            params: slugParams,
            body: serviceBody,
            status: 201,
            handler: async ({ actor, params, body }) => ({
                service: await catalog.createService(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
            }),
        }),
        defineApi({
            method: "POST",
            path: "/communities/:slug/helper-applications",
            tag: "marketplace",
            summary: "Apply to become a service friend (photo as base64 JSON; the HTML form takes a file upload)",
            auth: "required",
            params: slugParams,
            body: applicationBody,
            status: 201,
            // The photo travels as base64: 4/3 of its bytes, plus the other fields.
            bodyLimit: Math.ceil((MARKET_LIMITS.photoBytes * 4) / 3) + 64 * 1024,
            handler: async ({ actor, params, body }) => {
                const { photo, ...fields } = body;
                return {
                    application: await applications.apply(deps, await communityAccess(deps, { slug: params.slug }, actor), fields, Buffer.from(photo.data, "base64")),
                };
            },
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/helper-applications",
            tag: "marketplace",
            summary: "Applications by status, oldest first (staff review queue)",
            auth: "required",
            params: slugParams,
            query: listApplicationsQuery,
            handler: async ({ actor, params, query }) => ({
                applications: await applications.listApplications(deps, await communityAccess(deps, { slug: params.slug }, actor), query.status),
            }),
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/helper-applications/mine",
            tag: "marketplace",
            summary: "The viewer's own application and its status",
            auth: "required",
            params: slugParams,
            handler: async ({ actor, params }) => ({
                application: await applications.myApplication(deps, await communityAccess(deps, { slug: params.slug }, actor)),
            }),
        }),
        defineApi({
            method: "POST",
            path: "/helper-applications/:id/decision",
            tag: "marketplace",
            summary: "Approve, reject (with reason), ask for changes, or suspend an approved helper (staff; audited)",
            auth: "required",
            params: idParams,
            body: decisionBody,
            handler: async ({ actor, params, body }) => ({
                application: await applications.decide(deps, params.id, actor, body),
            }),
        }),
        defineApi({
            method: "POST",
            path: "/communities/:slug/offers",
            tag: "marketplace",
            summary: "Publish an offer (approved helpers): service, price, area, weekly availability",
            auth: "required",
            params: slugParams,
            body: offerBody,
            status: 201,
            handler: async ({ actor, params, body }) => ({
                offer: await catalog.createOffer(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
            }),
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/offers",
            tag: "marketplace",
            summary: "Find helpers by service and postal code, sorted by rating, distance or price",
            params: slugParams,
            query: searchOffersQuery,
            handler: async ({ actor, params, query }) => searchOffers(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
        }),
        defineApi({
            method: "DELETE",
            path: "/offers/:id",
            tag: "marketplace",
            summary: "Withdraw an offer (its helper or staff)",
            auth: "required",
            params: idParams,
            handler: async ({ actor, params }) => catalog.withdrawOffer(deps, params.id, actor),
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/helpers/:userId",
            tag: "marketplace",
            summary: "A helper's public profile: photo, rating, completed jobs, certifications, offers, reviews",
            params: helperParams,
            handler: async ({ actor, params }) => helperProfile(deps, await communityAccess(deps, { slug: params.slug }, actor), params.userId),
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/marketplace-settings",
            tag: "marketplace",
            summary: "Currency, platform fee, free-cancellation deadline and other marketplace settings",
            params: slugParams,
            handler: async ({ actor, params }) => ({
                settings: await settingsOf(deps.db, (await communityAccess(deps, { slug: params.slug }, actor)).community.id),
            }),
        }),
        defineApi({
            method: "PATCH",
            path: "/communities/:slug/marketplace-settings",
            tag: "marketplace",
            summary: "Change marketplace settings (community admins)",
            auth: "required",
            params: slugParams,
            body: settingsBody,
            handler: async ({ actor, params, body }) => ({
                settings: await updateSettings(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
            }),
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/payouts",
            tag: "marketplace",
            summary: "A helper's monthly payout statement as CSV (staff)",
            auth: "required",
            params: slugParams,
            query: payoutQuery,
            handler: async ({ actor, params, query, reply }) => {
                const csv = await payoutCsv(deps, await communityAccess(deps, { slug: params.slug }, actor), query.month, query.helper);
                reply
                    .type("text/csv; charset=utf-8")
                    .header("content-disposition", `attachment; filename="payout-${params.slug}-${query.helper}-${query.month}.csv"`);
                return csv;
            },
        }),
    ];
}
