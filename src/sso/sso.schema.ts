import { z } from "zod";

const CLAIM_NAME = /^[A-Za-z0-9_:.-]{1,100}$/;

export const ssoRequirementBody = z.object({
  /** The provider (its name in OIDC_PROVIDERS) whose login counts; null: any configured provider. */
  provider: z.string().trim().min(1).max(40).nullable(),
  /** Members must have logged in through the provider to post topics, replies and comments. */
  toPost: z.boolean(),
  /** Members must have logged in through the provider to apply as a service friend. */
  toApply: z.boolean(),
  /** A claim their latest login must carry, e.g. "customer_number"; null: the login alone is enough. */
  claim: z.string().trim().regex(CLAIM_NAME, "Use letters, digits and _ : . - only.").nullable(),
  /**
   * The value the claim must have (or, for a list such as groups, contain); null: any non-empty
   * value. Only with a claim.
   */
  claimValue: z.string().trim().min(1).max(200).nullable(),
});

export type SsoRequirement = z.infer<typeof ssoRequirementBody>;
