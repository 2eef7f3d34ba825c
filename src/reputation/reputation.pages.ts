import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity, type LoadedAccess } from "../communities/index.ts";
import { html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, type FormState, type FormValues, formNumber, formNumberOrNull } from "../web/forms.ts";
import { actionButton } from "../web/components.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { renderProfilePanels } from "./reputation.panels.ts";
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

const decideForm = z.object({ decision: z.enum(["fulfil", "reject"]), note: z.string().trim().max(500).default("") });
const rewardFormInput = (v: FormValues) => ({
  ...v,
  price: formNumber(v.price),
  stock: formNumberOrNull(v.stock),
  valueCents: formNumber(v.valueCents),
});
const none = z.object({});

/** Profiles, kudos ledgers, the leaderboard and rewards as pages. */
export function reputationPages(deps: Deps): PageRoute[] {
  /** The rewards page; `redeemed` is a refused redemption, whose message shows above the rewards. */
  const rewardsPage = async (page: PageContext, access: LoadedAccess, form: FormState, redeemed?: FormState) => {
    const abilities = rewards.rewardAbilities(access);
    const [list, mine, pending, balance] = await Promise.all([
      rewards.listRewards(deps, access),
      page.actor ? rewards.listRedemptions(deps, access, { mine: true }) : [],
      abilities.fulfil ? rewards.listRedemptions(deps, access, { mine: false, status: "pending" }) : [],
      page.actor ? profiles.ledger(deps, access, page.actor.id, { limit: 1 }).then((own) => own.balance) : null,
    ]);
    return rewardsView(page, {
      community: access.community,
      rewards: list,
      balance,
      redeem: abilities.redeem,
      mine,
      staff: abilities.manage ? { pending, form } : null,
      redeemed: redeemed ?? blankForm(),
    });
  };

  return [
    definePage(deps, {
      path: "/c/:slug/u/:userId",
      params: memberParams,
      load: inCommunity(deps),
      render: async ({ page, params: { userId }, context: access }) => {
        const profile = await profiles.getProfile(deps, access, userId);
        const base = `/c/${access.community.slug}/u/${userId}`;
        const champion = profile.abilities.champion
          ? actionButton(page, {
              action: `${base}/champion`,
              label: page.t(profile.champion ? "rep.unenrol" : "rep.enrol"),
              fields: { champion: profile.champion ? "false" : "true" },
            })
          : "";
        const panels = await renderProfilePanels(page, {
          access,
          userId,
          base,
          suspended: Boolean(profile.suspension),
        });
        const actions = html`<div class="post-actions">${champion}</div>${panels}`;
        return profileView(page, { community: access.community, profile, actions });
      },
    }),

    definePage(deps, {
      path: "/c/:slug/u/:userId/kudos",
      params: memberParams,
      query: ledgerQuery.catch({ limit: 50 }),
      auth: "required",
      load: inCommunity(deps),
      render: async ({ page, params: { userId }, query, context: access }) => {
        const ledger = await profiles.ledger(deps, access, userId, query);
        const { member } = await profiles.getProfile(deps, access, userId);
        const more = ledger.nextCursor
          ? `/c/${access.community.slug}/u/${userId}/kudos?before=${ledger.nextCursor}`
          : null;
        return ledgerView(page, { community: access.community, member, ledger, more });
      },
    }),

    defineForm(deps, {
      path: "/c/:slug/u/:userId/champion",
      params: memberParams,
      load: inCommunity(deps),
      schema: z.object({ champion: z.enum(["true", "false"]) }),
      run: async ({ params: { slug, userId }, context: access, data }) => {
        await setChampion(deps, access, userId, data.champion === "true");
        return `/c/${slug}/u/${userId}`;
      },
    }),

    definePage(deps, {
      path: "/c/:slug/leaderboard",
      params: slugParams,
      // A query the page cannot use shows the default board.
      query: leaderboardQuery.catch(leaderboardQuery.parse({})),
      load: inCommunity(deps),
      render: async ({ page, query, context: access }) =>
        leaderboardView(page, { community: access.community, ...(await profiles.leaderboard(deps, access, query)) }),
    }),

    definePage(deps, {
      path: "/c/:slug/rewards",
      params: slugParams,
      load: inCommunity(deps),
      render: ({ page, context: access }) => rewardsPage(page, access, blankForm()),
    }),

    defineForm(deps, {
      path: "/c/:slug/rewards",
      params: slugParams,
      load: inCommunity(deps),
      schema: rewardInput,
      toInput: rewardFormInput,
      run: async ({ params: { slug }, context: access, data }) => {
        await rewards.createReward(deps, access, data);
        return `/c/${slug}/rewards`;
      },
      rerender: ({ page, context: access, form }) => rewardsPage(page, access, form),
    }),

    defineForm(deps, {
      path: "/c/:slug/rewards/:id/redeem",
      params: rewardParams,
      load: inCommunity(deps),
      schema: redeemBody,
      run: async ({ params: { slug, id }, context: access, data }) => {
        await rewards.redeem(deps, access, id, data.idempotencyKey ?? null);
        return `/c/${slug}/rewards#mine-title`;
      },
      // Too few kudos left or the last one just taken (another tab, another member): the page again, saying so.
      refusals: (page) => ({ conflict: { _form: page.t("rep.redeemRefused") } }),
      rerender: ({ page, context: access, form }) => rewardsPage(page, access, blankForm(), form),
    }),

    ...[true, false].map((active) =>
      defineForm(deps, {
        path: `/c/:slug/rewards/:id/${active ? "activate" : "deactivate"}`,
        params: rewardParams,
        load: inCommunity(deps),
        schema: none,
        run: async ({ params: { slug, id }, context: access }) => {
          await rewards.updateReward(deps, access, id, { active });
          return `/c/${slug}/rewards`;
        },
      }),
    ),

    defineForm(deps, {
      path: "/c/:slug/redemptions/:id/decide",
      params: redemptionParams,
      load: inCommunity(deps),
      schema: decideForm,
      run: async ({ params: { slug, id }, context: access, data }) => {
        await rewards.decideRedemption(deps, access, id, data.decision, data.note);
        return `/c/${slug}/rewards#pending-title`;
      },
    }),
  ];
}
