import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { can } from "../access/privileges.ts";
import { html } from "../web/html.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, submitForm, type FormState, type FormValues } from "../web/forms.ts";
import { actionButton } from "../web/components.ts";
import { moderationPanel } from "../moderation/moderation.views.ts";
import * as profiles from "./reputation.profile.ts";
import * as rewards from "./reputation.rewards.ts";
import { setChampion } from "./reputation.service.ts";
import { leaderboardView, ledgerView, profileView } from "./reputation.views.ts";
import { rewardsView } from "./reputation.rewards.views.ts";
import {
  leaderboardQuery,
  ledgerQuery,
  memberParams,
  redeemBody,
  redemptionParams,
  rewardInput,
  rewardParams,
} from "./reputation.schema.ts";
import { communityAccess } from "../communities/communities.access.ts";

const decideForm = z.object({ decision: z.enum(["fulfil", "reject"]), note: z.string().trim().max(500).default("") });
const rewardFormInput = (v: FormValues) => ({
  ...v,
  price: v.price ? Number(v.price) : undefined,
  stock: v.stock ? Number(v.stock) : null,
});
const none = z.object({});

/** Profiles, kudos ledgers, the leaderboard and rewards as pages. */
export function registerReputationPages(app: FastifyInstance, deps: Deps): void {
  app.get("/c/:slug/u/:userId", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const params = pathParams(memberParams, req.params);
    const access = await communityAccess(deps, { slug: params.slug }, page.actor);
    const profile = await profiles.getProfile(deps, access, params.userId);
    const base = `/c/${access.community.slug}/u/${params.userId}`;
    const champion =
      can(access, "champion.enrol") && profile.member.role
        ? actionButton(page, {
            action: `${base}/champion`,
            label: page.t(profile.champion ? "rep.unenrol" : "rep.enrol"),
            fields: { champion: profile.champion ? "false" : "true" },
          })
        : "";
    const actions = html`<div class="post-actions">${champion}</div>${moderationPanel(page, access, { base, userId: params.userId, role: profile.member.role, suspended: Boolean(profile.suspension) })}`;
    return sendPage(page, profileView(page, { community: access.community, profile, actions }));
  });

  app.get("/c/:slug/u/:userId/kudos", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const params = pathParams(memberParams, req.params);
    const query = ledgerQuery.catch({ limit: 50 }).parse(req.query);
    const access = await communityAccess(deps, { slug: params.slug }, page.actor);
    const ledger = await profiles.ledger(deps, access, params.userId, query);
    const member = await profiles.getProfile(deps, access, params.userId);
    const more = ledger.nextCursor
      ? `/c/${access.community.slug}/u/${params.userId}/kudos?before=${ledger.nextCursor}`
      : null;
    return sendPage(page, ledgerView(page, { community: access.community, member: member.member, ledger, more }));
  });

  app.post("/c/:slug/u/:userId/champion", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const params = pathParams(memberParams, req.params);
    return submitForm(page, {
      schema: z.object({ champion: z.enum(["true", "false"]) }),
      run: async (input) => {
        await setChampion(
          deps,
          await communityAccess(deps, { slug: params.slug }, page.actor),
          params.userId,
          input.champion === "true",
        );
        return `/c/${params.slug}/u/${params.userId}`;
      },
    });
  });

  app.get("/c/:slug/leaderboard", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { slug } = pathParams(slugParams, req.params);
    const query = Object.fromEntries(
      Object.entries((req.query ?? {}) as Record<string, string>).filter(([, v]) => v !== ""),
    );
    const parsed = leaderboardQuery.safeParse(query);
    const input = parsed.success ? parsed.data : leaderboardQuery.parse({});
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    const board = await profiles.leaderboard(deps, access, input);
    return sendPage(page, leaderboardView(page, { community: access.community, ...board }));
  });

  async function rewardsPage(page: PageContext, slug: string, form: FormState) {
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    const [list, mine, pending] = await Promise.all([
      rewards.listRewards(deps, access),
      page.actor ? rewards.listRedemptions(deps, access, { mine: true }) : [],
      can(access, "reward.fulfil") ? rewards.listRedemptions(deps, access, { mine: false, status: "pending" }) : null,
    ]);
    const balance = page.actor ? (await profiles.ledger(deps, access, page.actor.id, { limit: 1 })).balance : null;
    return rewardsView(page, {
      community: access.community,
      rewards: list,
      balance,
      mine,
      staff: can(access, "reward.manage") ? { pending: pending ?? [], form } : null,
    });
  }

  app.get("/c/:slug/rewards", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    return sendPage(page, await rewardsPage(page, pathParams(slugParams, req.params).slug, blankForm()));
  });

  app.post("/c/:slug/rewards", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { slug } = pathParams(slugParams, req.params);
    return submitForm(page, {
      schema: rewardInput,
      toInput: rewardFormInput,
      run: async (input) => {
        await rewards.createReward(deps, await communityAccess(deps, { slug: slug }, page.actor), input);
        return `/c/${slug}/rewards`;
      },
      rerender: (form) => rewardsPage(page, slug, form),
    });
  });

  app.post("/c/:slug/rewards/:id/redeem", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const params = pathParams(rewardParams, req.params);
    return submitForm(page, {
      schema: redeemBody,
      run: async (input) => {
        await rewards.redeem(
          deps,
          await communityAccess(deps, { slug: params.slug }, page.actor),
          params.id,
          input.idempotencyKey ?? null,
        );
        return `/c/${params.slug}/rewards#mine-title`;
      },
    });
  });

  for (const active of [true, false]) {
    app.post(`/c/:slug/rewards/:id/${active ? "activate" : "deactivate"}`, async (req, reply) => {
      const page = pageContext(req, reply, deps);
      requireActor(page);
      const params = pathParams(rewardParams, req.params);
      return submitForm(page, {
        schema: none,
        run: async () => {
          await rewards.updateReward(deps, await communityAccess(deps, { slug: params.slug }, page.actor), params.id, {
            active,
          });
          return `/c/${params.slug}/rewards`;
        },
      });
    });
  }

  app.post("/c/:slug/redemptions/:id/decide", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const params = pathParams(redemptionParams, req.params);
    return submitForm(page, {
      schema: decideForm,
      run: async (input) => {
        await rewards.decideRedemption(
          deps,
          await communityAccess(deps, { slug: params.slug }, page.actor),
          params.id,
          input.decision,
          input.note,
        );
        return `/c/${params.slug}/rewards#pending-title`;
      },
    });
  });
}
