import type { Deps } from "../core/deps.ts";
import type { Config } from "../core/config.ts";
import type { Db } from "../db/database.ts";
import { STAFF_AND_MODERATORS, type CommunityAccess } from "../access/access.ts";
import type { Participation, ParticipationGate } from "../access/participation.ts";
import { can } from "../access/privileges.ts";
import { recordCommunityAudit } from "../audit/audit.ts";
import { AppError, fieldRefused, forbidden } from "../core/errors.ts";
import type { SsoRequirement } from "./sso.schema.ts";

/** No requirement: anyone the privileges allow posts and applies. */
const NONE: SsoRequirement = { provider: null, toPost: false, toApply: false, claim: null, claimValue: null };

async function requirementOf(db: Db, communityId: number): Promise<SsoRequirement> {
  const row = await db
    .selectFrom("communitySsoRequirements")
    .select(["provider", "toPost", "toApply", "claim", "claimValue"])
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  return row ? { ...row, toPost: Boolean(row.toPost), toApply: Boolean(row.toApply) } : NONE;
}

function assertConfigures(access: CommunityAccess): void {
  if (!can(access, "community.configure")) throw forbidden("Only the community's admins set its sign-in rules.");
}

/** The community's SSO requirement (its admins). */
export async function getRequirement(deps: Pick<Deps, "db">, access: CommunityAccess): Promise<SsoRequirement> {
  assertConfigures(access);
  return requirementOf(deps.db, access.community.id);
}

export async function setRequirement(
  deps: Pick<Deps, "db" | "clock" | "config">,
  access: CommunityAccess,
  input: SsoRequirement,
): Promise<SsoRequirement> {
  assertConfigures(access);
  if (input.provider !== null && !deps.config.oidcProviders.some((p) => p.name === input.provider)) {
    throw fieldRefused("provider", "No sign-in provider of that name is configured.", "sso.settings.unknownProvider");
  }
  if (input.claimValue !== null && input.claim === null) {
    throw fieldRefused("claim", "Name the claim whose value is checked.", "sso.settings.claimNeeded");
  }
  if ((input.toPost || input.toApply) && deps.config.oidcProviders.length === 0) {
    throw fieldRefused(
      "provider",
      "Configure a sign-in provider (OIDC_PROVIDERS) first.",
      "sso.settings.providerFirst",
    );
  }
  const communityId = access.community.id;
  const row = {
    provider: input.provider,
    toPost: Number(input.toPost),
    toApply: Number(input.toApply),
    claim: input.claim,
    claimValue: input.claimValue,
    updatedAt: deps.clock.now(),
  };
  await deps.db.transaction().execute(async (db) => {
    await db
      .insertInto("communitySsoRequirements")
      .values({ communityId, ...row })
      .onConflict((oc) => oc.column("communityId").doUpdateSet(row))
      .execute();
    await recordCommunityAudit({ db, clock: deps.clock }, access, "sso.requirement", { ...input });
  });
  return input;
}

/** A claim is present when it is neither empty nor false; with a value, it equals it or (a list) contains it. */
export function satisfiesClaim(claims: Record<string, unknown>, claim: string | null, value: string | null): boolean {
  if (claim === null) return true;
  // Own claims only: "constructor" or "toString" must not be found on every object's prototype.
  const actual = Object.hasOwn(claims, claim) ? claims[claim] : undefined;
  const values = (Array.isArray(actual) ? actual : [actual]).filter((v) => v !== null && v !== undefined && v !== "");
  if (value === null) return values.some((v) => v !== false);
  return values.some((v) => String(v) === value);
}

function refusal(config: Config, requirement: SsoRequirement, action: Participation): AppError {
  const provider = config.oidcProviders.find((p) => p.name === requirement.provider);
  const how = provider ? `log in with ${provider.label}` : "log in through single sign-on";
  const what = action === "post" ? "to post" : "to apply as a service friend";
  const account = requirement.claim ? ` with an account that carries ${requirement.claim}` : "";
  // Forms show it in the reader's language, naming the provider (any configured one: their labels).
  const providers = provider ? [provider] : config.oidcProviders;
  const key = `sso.required.${action}${requirement.claim ? "Claim" : ""}`;
  return new AppError("forbidden", `This community asks you to ${how}${account} ${what}.`, undefined, {
    key,
    params: { provider: providers.map((p) => p.label).join(" / "), claim: requirement.claim ?? "" },
  });
}

/**
 * The "must be our customer" check, installed as a participation gate: where the community asks
 * for it, the member must have an identity at the provider (one still configured) whose claims at
 * its latest login meet the requirement. Staff, moderators and platform admins are not asked.
 */
export const ssoRequirementGate: ParticipationGate = async (deps, access, action) => {
  const actor = access.actor;
  if (!actor || actor.isPlatformAdmin || (access.role && STAFF_AND_MODERATORS.includes(access.role))) return;
  const requirement = await requirementOf(deps.db, access.community.id);
  if (!(action === "post" ? requirement.toPost : requirement.toApply)) return;
  const configured = deps.config.oidcProviders
    .map((p) => p.name)
    .filter((name) => requirement.provider === null || name === requirement.provider);
  const identities = configured.length
    ? await deps.db
        .selectFrom("userIdentities")
        .select("claims")
        .where("userId", "=", actor.id)
        .where("provider", "in", configured)
        .execute()
    : [];
  const met = identities.some((i) => satisfiesClaim(JSON.parse(i.claims), requirement.claim, requirement.claimValue));
  if (!met) throw refusal(deps.config, requirement, action);
};
