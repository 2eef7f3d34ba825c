import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "./access.ts";

/** What a member does that a community may put conditions on beyond privileges. */
export type Participation = "post" | "apply";

/**
 * A condition another domain puts on taking part (the SSO "must be our customer" check): it throws
 * a refusal, or returns. The composition root installs the gates; topics and the marketplace ask
 * `assertMayParticipate` without knowing which domains answer.
 */
export type ParticipationGate = (
  deps: Pick<Deps, "db" | "config">,
  access: CommunityAccess,
  action: Participation,
) => Promise<void>;

let gates: readonly ParticipationGate[] = [];

export function installParticipationGates(list: readonly ParticipationGate[]): void {
  gates = list;
}

export async function assertMayParticipate(
  deps: Pick<Deps, "db" | "config">,
  access: CommunityAccess,
  action: Participation,
): Promise<void> {
  for (const gate of gates) await gate(deps, access, action);
}
