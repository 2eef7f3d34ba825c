import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import multipart from "@fastify/multipart";
import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity, type LoadedAccess } from "../communities/index.ts";
import { getCourse } from "../academy/index.ts";
import { registerUploadRoutes } from "../storage/storage.routes.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { definePage, defineForm, registerPages, type PageRoute } from "../web/page-route.ts";
import { apply, myApplication } from "./applications.service.ts";
import { helperProfile, searchOffers } from "./finder.service.ts";
import { listServices } from "./catalog.service.ts";
import { flagReview, respondToReview, reviewUrl } from "./reviews.service.ts";
import { settingsOf } from "./marketplace.settings.ts";
import { marketAbilities } from "./marketplace.policy.ts";
import {
  applicationBody,
  helperParams,
  itemParams,
  MARKET_LIMITS,
  messageBody,
  reasonBody,
  searchOffersQuery,
} from "./marketplace.schema.ts";
import { applyView, profileView, searchView } from "./marketplace.views.ts";
import { helperPages } from "./helper.pages.ts";
import { bookingPages } from "./bookings.pages.ts";
import { staffPages } from "./staff.pages.ts";
import { readMultipart } from "../http/multipart.ts";

/** The search form's one place field takes a postal code or a place name: only digits make a postal code. */
const searchQuery = z.preprocess((query) => {
  const fields = query as Record<string, unknown>;
  const where = typeof fields.postalCode === "string" ? fields.postalCode.trim() : "";
  return where && !/^\d+$/.test(where) ? { ...fields, postalCode: undefined, place: where } : fields;
}, searchOffersQuery);

/** The application form's `photo` value when a whole photo came with it (the file itself is not form text). */
const PHOTO_ATTACHED = "attached";

/** The application form: the API's fields, the photo's presence checked with them, its content by the use case. */
const applicationForm = applicationBody.omit({ photo: true }).extend({ photo: z.literal(PHOTO_ATTACHED) });

interface Upload {
  photo: Buffer;
  /** The photo was larger than the limit and cut by the parser. */
  truncated: boolean;
}

/**
 * Reads the application form's multipart body: the text fields become the form's values (with
 * `photo` saying whether a whole photo came), the photo is returned.
 */
async function readApplication(req: FastifyRequest): Promise<Upload> {
  const { file, fields } = await readMultipart(req, "photo");
  const photo = file?.bytes ?? Buffer.alloc(0);
  const truncated = file?.truncated ?? false;
  req.body = { ...fields, photo: photo.length > 0 && !truncated ? PHOTO_ATTACHED : "" };
  return { photo, truncated };
}

const photoProblem = (upload: Upload) =>
  upload.truncated
    ? "market.photoTooLarge"
    : upload.photo.length === 0
      ? "market.photoRequired"
      : "market.photoInvalid";

async function applyPage(
  deps: Deps,
  page: PageContext,
  access: LoadedAccess,
  form: FormState,
  application?: Awaited<ReturnType<typeof myApplication>>,
) {
  const settings = await settingsOf(deps.db, access.community.id);
  const course = settings.helperCourseId ? (await getCourse(deps, settings.helperCourseId, page.actor)).course : null;
  return applyView(page, {
    community: access.community,
    application: application === undefined ? await myApplication(deps, access) : application,
    conduct: settings.codeOfConduct,
    course: course && { url: course.url, title: course.title, passed: course.me?.certified ?? false },
    form,
    staff: marketAbilities(access).staff,
  });
}

/** Search, helper profiles, reviews and the application page; then the helper, booking and staff pages. */
export function marketplacePages(deps: Deps): PageRoute[] {
  /** A form on a review (answer, flag): the API's use case, then back to the review on its helper's profile. */
  const reviewForm = <T>(
    path: string,
    schema: z.ZodType<T>,
    run: (input: { actor: Actor; id: number; data: T }) => Promise<unknown>,
  ) =>
    defineForm(deps, {
      path: `/c/:slug/reviews/:id/${path}`,
      params: itemParams,
      schema,
      run: async ({ actor, params: { id }, data }) => {
        await run({ actor, id, data });
        return reviewUrl(deps, id, actor);
      },
    });

  return [
    definePage(deps, {
      path: "/c/:slug/service-friends",
      params: slugParams,
      query: searchQuery,
      load: inCommunity(deps),
      render: async ({ page, query, context: access }) => {
        const [services, result] = await Promise.all([
          listServices(deps.db, access.community.id),
          searchOffers(deps, access, query),
        ]);
        const staff = marketAbilities(access).staff;
        return searchView(page, { community: access.community, services, input: query, offers: result.offers, staff });
      },
    }),

    definePage(deps, {
      path: "/c/:slug/helpers/:userId",
      params: helperParams,
      load: inCommunity(deps),
      render: async ({ page, params, context: access }) => {
        const profile = await helperProfile(deps, access, params.userId);
        return profileView(page, { community: access.community, profile, staff: marketAbilities(access).staff });
      },
    }),
    reviewForm("response", messageBody, ({ actor, id, data }) => respondToReview(deps, id, actor, data.body)),
    reviewForm("flag", reasonBody, ({ actor, id, data }) => flagReview(deps, id, actor, data.reason)),

    definePage(deps, {
      path: "/c/:slug/service-friends/apply",
      params: slugParams,
      auth: "required",
      load: inCommunity(deps),
      render: async ({ page, context: access }) => {
        // "Offer your help" brings an approved service friend to their offers, not to an application form.
        const application = await myApplication(deps, access);
        if (application?.status === "approved")
          return { redirect: `/c/${access.community.slug}/service-friends/mine#my-offers-title` };
        return applyPage(deps, page, access, blankForm(), application);
      },
    }),

    ...helperPages(deps),
    ...bookingPages(deps),
    ...staffPages(deps),
  ];
}

/**
 * The application form posts a photo. Multipart is parsed on its route alone, within the photo
 * size limit, so the form is registered in a scope of its own, with the route serving the photos.
 */
export function marketplaceUploads(deps: Deps): FastifyPluginAsync {
  const applicationPost = defineForm(deps, {
    path: "/c/:slug/service-friends/apply",
    params: slugParams,
    load: async (input) => ({ access: await inCommunity(deps)(input), upload: await readApplication(input.page.req) }),
    schema: applicationForm,
    toInput: (v) => ({ ...v, acceptConduct: v.acceptConduct === "1" }),
    run: async ({ context: { access, upload }, data: { photo: _attached, ...input } }) => {
      await apply(deps, access, input, upload.photo);
      return `/c/${access.community.slug}/service-friends/apply`;
    },
    rerender: async ({ page, context: { access, upload }, form }) =>
      applyPage(deps, page, access, {
        ...form,
        errors: form.errors.photo ? { ...form.errors, photo: page.t(photoProblem(upload)) } : form.errors,
      }),
    refusals: (page) => ({
      validation_failed: { photo: page.t("market.photoInvalid") },
      conflict: { _form: page.t("market.apply.pending") },
    }),
  });
  return async (scope) => {
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: MARKET_LIMITS.photoBytes, files: 1, fields: 20, fieldSize: 10_000 },
    });
    registerUploadRoutes(scope, deps);
    registerPages(scope, [applicationPost]);
  };
}
