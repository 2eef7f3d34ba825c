import type { Actor, Deps } from "../core/deps.ts";
import { defineApi, slugParams } from "../http/api.ts";
import { BADGES } from "./reputation.badges.ts";
import { reputationSettings, reputationSettingsPatch } from "../access/reputation-settings.ts";
import * as profiles from "./reputation.profile.ts";
import * as rewards from "./reputation.rewards.ts";
import * as reputation from "./reputation.service.ts";
import {
  categoryParams,
  championBody,
  championsOnlyBody,
  decideBody,
  leaderboardQuery,
  ledgerQuery,
  memberParams,
  redeemBody,
  redemptionParams,
  redemptionsQuery,
  rewardInput,
  rewardParams,
  rewardPatch,
} from "./reputation.schema.ts";
import { communityAccess } from "../communities/index.ts";

export function reputationRoutes(deps: Deps) {
  const access = (slug: string, actor: Actor | null) => communityAccess(deps, { slug: slug }, actor);
  return [
    defineApi({
      method: "GET",
      path: "/communities/:slug/members/:userId/profile",
      tag: "reputation",
      summary: "A member's profile: rank, kudos, badges, accepted answers, top tags, recent activity",
      params: memberParams,
      handler: async ({ actor, params }) => ({
        profile: await profiles.getProfile(deps, await access(params.slug, actor), params.userId),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/members/:userId/kudos",
      tag: "reputation",
      summary: "A member's kudos ledger, newest first (the member and staff)",
      auth: "required",
      params: memberParams,
      query: ledgerQuery,
      handler: async ({ actor, params, query }) =>
        profiles.ledger(deps, await access(params.slug, actor), params.userId, query),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/leaderboard",
      tag: "reputation",
      summary: "Top members by kudos earned this week, month or all time, optionally within a tag",
      params: slugParams,
      query: leaderboardQuery,
      handler: async ({ actor, params, query }) => profiles.leaderboard(deps, await access(params.slug, actor), query),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/badges",
      tag: "reputation",
      summary: "The badges members can earn",
      params: slugParams,
      handler: async ({ actor, params }) => {
        await access(params.slug, actor);
        return { badges: BADGES.map((b) => ({ key: b.key, repeatable: b.repeatable })) };
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/settings/reputation",
      tag: "reputation",
      summary: "Kudos values, daily cap, ranks and privilege thresholds of a community",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        settings: await reputationSettings(deps.db, (await access(params.slug, actor)).community.id),
      }),
    }),
    defineApi({
      method: "PATCH",
      path: "/communities/:slug/settings/reputation",
      tag: "reputation",
      summary: "Change reputation settings (community admin); objects may be partial, ranks are replaced whole",
      auth: "required",
      params: slugParams,
      body: reputationSettingsPatch,
      handler: async ({ actor, params, body }) => ({
        settings: await reputation.updateReputationSettings(deps, await access(params.slug, actor), body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/kudos/recompute",
      tag: "reputation",
      summary: "Rebuild the kudos totals from the ledger (community admin)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => reputation.recompute(deps, await access(params.slug, actor)),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/champions",
      tag: "reputation",
      summary: "Members of the champions program",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        champions: await reputation.listChampions(deps, await access(params.slug, actor)),
      }),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/members/:userId/champion",
      tag: "reputation",
      summary: "Enrol a member in the champions program or end it (staff)",
      auth: "required",
      params: memberParams,
      body: championBody,
      handler: async ({ actor, params, body }) =>
        reputation.setChampion(deps, await access(params.slug, actor), params.userId, body.champion),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/categories/:id/champions-only",
      tag: "reputation",
      summary: "Make a category visible only to champions and staff (community admin)",
      auth: "required",
      params: categoryParams,
      body: championsOnlyBody,
      handler: async ({ actor, params, body }) =>
        reputation.setChampionsOnly(deps, await access(params.slug, actor), params.id, body.championsOnly),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/rewards",
      tag: "rewards",
      summary: "Rewards members can redeem with kudos (staff also see inactive ones), and what the caller may do",
      params: slugParams,
      handler: async ({ actor, params }) => {
        const viewer = await access(params.slug, actor);
        return { rewards: await rewards.listRewards(deps, viewer), abilities: rewards.rewardAbilities(viewer) };
      },
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/rewards",
      tag: "rewards",
      summary: "Define a reward (staff)",
      auth: "required",
      params: slugParams,
      body: rewardInput,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        reward: await rewards.createReward(deps, await access(params.slug, actor), body),
      }),
    }),
    defineApi({
      method: "PATCH",
      path: "/communities/:slug/rewards/:id",
      tag: "rewards",
      summary: "Change a reward or deactivate it (staff)",
      auth: "required",
      params: rewardParams,
      body: rewardPatch,
      handler: async ({ actor, params, body }) => ({
        reward: await rewards.updateReward(deps, await access(params.slug, actor), params.id, body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/rewards/:id/redeem",
      tag: "rewards",
      summary: "Redeem a reward with kudos; idempotent with an Idempotency-Key header or idempotencyKey field",
      auth: "required",
      params: rewardParams,
      body: redeemBody,
      status: 201,
      handler: async ({ actor, params, body, req }) => {
        const header = req.headers["idempotency-key"];
        const key =
          body.idempotencyKey ?? (typeof header === "string" && header.trim() ? header.trim().slice(0, 100) : null);
        return rewards.redeem(deps, await access(params.slug, actor), params.id, key);
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/redemptions",
      tag: "rewards",
      summary: "Redemptions: all for staff, the caller's own otherwise",
      auth: "required",
      params: slugParams,
      query: redemptionsQuery,
      handler: async ({ actor, params, query }) => ({
        redemptions: await rewards.listRedemptions(deps, await access(params.slug, actor), {
          mine: query.mine === "true",
          status: query.status,
        }),
      }),
    }),
    ...(["fulfil", "reject"] as const).map((decision) =>
      defineApi({
        method: "POST",
        path: `/communities/:slug/redemptions/:id/${decision}`,
        tag: "rewards",
        summary:
          decision === "fulfil"
            ? "Mark a redemption fulfilled (staff)"
            : "Reject a redemption and refund its kudos (staff)",
        auth: "required",
        params: redemptionParams,
        body: decideBody,
        handler: async ({ actor, params, body }) => ({
          redemption: await rewards.decideRedemption(
            deps,
            await access(params.slug, actor),
            params.id,
            decision,
            body.note,
          ),
        }),
      }),
    ),
  ];
}
