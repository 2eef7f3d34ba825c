import type { FastifyInstance, FastifyRequest } from "fastify";
import multipart from "@fastify/multipart";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import type { CommunityAccess } from "../access/access.ts";
import { validationFailed } from "../core/errors.ts";
import { getCourse } from "../academy/academy.service.ts";
import { registerUploadRoutes } from "../storage/storage.routes.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, submitForm, type FormState } from "../web/forms.ts";
import { apply, myApplication } from "./applications.service.ts";
import { helperProfile, searchOffers } from "./finder.service.ts";
import { listServices } from "./catalog.service.ts";
import { flagReview, respondToReview } from "./reviews.service.ts";
import { settingsOf } from "./marketplace.settings.ts";

import {
  applicationBody,
  helperParams,
  MARKET_LIMITS,
  messageBody,
  reasonBody,
  searchOffersQuery,
} from "./marketplace.schema.ts";
import { applyView, profileView, searchView } from "./marketplace.views.ts";
import { helperPages } from "./helper.pages.ts";
import { bookingPages } from "./bookings.pages.ts";
import { registerPages } from "../web/page-route.ts";
import { staffPages } from "./staff.pages.ts";
import { signedInCommunityPage } from "../communities/community-page.ts";
import { communityAccess } from "../communities/communities.access.ts";
import { can } from "../access/privileges.ts";

const reviewParams = slugParams.extend({ id: idParams.shape.id });

/** Empty GET fields mean "any"; the one search field takes a postal code or a place name. */
function searchInput(query: unknown) {
  const fields = Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ""),
  );
  const where = typeof fields.postalCode === "string" ? fields.postalCode.trim() : "";
  return where && !/^\d+$/.test(where) ? { ...fields, postalCode: undefined, place: where } : fields;
}

/** The text fields and the photo of a multipart form; an oversized photo is cut by the parser and reported as truncated. */
async function readMultipart(
  req: FastifyRequest,
): Promise<{ fields: Record<string, string>; photo: Buffer; truncated: boolean }> {
  const fields: Record<string, string> = {};
  let photo: Buffer = Buffer.alloc(0);
  let truncated = false;
  for await (const part of req.parts()) {
    if (part.type === "file") {
      photo = await part.toBuffer();
      truncated = part.file.truncated;
    } else if (typeof part.value === "string") {
      if (part.value.includes("\0")) throw validationFailed({ [part.fieldname]: "Remove the NUL character." });
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, photo, truncated };
}

/** Search, helper profiles, the application form; the helper, booking and staff pages register from here too. */
export function registerMarketplacePages(app: FastifyInstance, deps: Deps): void {
  registerUploadRoutes(app, deps);
  registerPages(app, helperPages(deps));
  registerPages(app, bookingPages(deps));
  registerPages(app, staffPages(deps));

  app.get("/c/:slug/service-friends", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await communityAccess(deps, { slug: pathParams(slugParams, req.params).slug }, page.actor);
    const parsed = searchOffersQuery.safeParse(searchInput(req.query));
    if (!parsed.success)
      throw validationFailed(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
    const [services, result] = await Promise.all([
      listServices(deps.db, access.community.id),
      searchOffers(deps, access, parsed.data),
    ]);
    return sendPage(
      page,
      searchView(page, {
        community: access.community,
        services,
        input: parsed.data,
        offers: result.offers,
        staff: can(access, "market.staff"),
      }),
    );
  });

  app.get("/c/:slug/helpers/:userId", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const params = pathParams(helperParams, req.params);
    const access = await communityAccess(deps, { slug: params.slug }, page.actor);
    const profile = await helperProfile(deps, access, params.userId);
    return sendPage(
      page,
      profileView(page, { community: access.community, profile, staff: can(access, "market.staff") }),
    );
  });

  const backToReview = async (access: CommunityAccess, id: number) => {
    const review = await deps.db
      .selectFrom("reviews")
      .select("helperId")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return `/c/${access.community.slug}/helpers/${review.helperId}#review-${id}`;
  };
  app.post("/c/:slug/reviews/:id/response", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { slug, id } = pathParams(reviewParams, req.params);
    const access = await communityAccess(deps, { slug: slug }, actor);
    return submitForm(page, {
      schema: messageBody,
      run: async (input) => {
        await respondToReview(deps, id, actor, input.body);
        return backToReview(access, id);
      },
    });
  });
  app.post("/c/:slug/reviews/:id/flag", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { slug, id } = pathParams(reviewParams, req.params);
    const access = await communityAccess(deps, { slug: slug }, actor);
    return submitForm(page, {
      schema: reasonBody,
      run: async (input) => {
        await flagReview(deps, id, actor, input.reason);
        return backToReview(access, id);
      },
    });
  });

  async function applyPage(page: PageContext, access: CommunityAccess, form: FormState) {
    const settings = await settingsOf(deps.db, access.community.id);
    const course = settings.helperCourseId ? (await getCourse(deps, settings.helperCourseId, page.actor)).course : null;
    return applyView(page, {
      community: access.community,
      application: await myApplication(deps, access),
      conduct: settings.codeOfConduct,
      course: course && { url: course.url, title: course.title, passed: course.me?.certified ?? false },
      form,
      staff: can(access, "market.staff"),
    });
  }

  app.get("/c/:slug/service-friends/apply", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    return sendPage(page, await applyPage(page, access, blankForm()));
  });

  // The application form carries a photo: multipart, parsed only on this route, with the photo size limit.
  app.register(async (scope) => {
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: MARKET_LIMITS.photoBytes, files: 1, fields: 20, fieldSize: 10_000 },
    });
    scope.post("/c/:slug/service-friends/apply", async (req, reply) => {
      const { page, access } = await signedInCommunityPage(deps, req, reply);
      const { fields, photo, truncated } = await readMultipart(req);
      req.body = fields;
      const photoProblem = page.t(
        truncated ? "market.photoTooLarge" : photo.length === 0 ? "market.photoRequired" : "market.photoInvalid",
      );
      return submitForm(page, {
        schema: applicationBody
          .omit({ photo: true })
          .extend({ photo: z.instanceof(Buffer).refine((b) => b.length > 0 && !truncated) }),
        toInput: (v) => ({ ...v, acceptConduct: v.acceptConduct === "1", photo }),
        run: async ({ photo: bytes, ...input }) => {
          await apply(deps, access, input, bytes);
          return `/c/${access.community.slug}/service-friends/apply`;
        },
        rerender: (form) =>
          applyPage(page, access, {
            ...form,
            errors: form.errors.photo ? { ...form.errors, photo: photoProblem } : form.errors,
          }),
        refusals: { validation_failed: { photo: photoProblem }, conflict: { _form: page.t("market.apply.pending") } },
      });
    });
  });
}
