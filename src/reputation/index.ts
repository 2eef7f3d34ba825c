/**
 * The public module of the reputation domain: what other domains may use of it. Everything else in
 * src/reputation/ is its own business (the composition root, src/app, may wire any of it).
 */
export { reversePost } from "./reputation.kudos.ts";
export type { ProfileSubject } from "./reputation.panels.ts";
export { endChampionship, updateReputationSettings } from "./reputation.service.ts";
export { type ReputationSettings, reputationSettings, reputationSettingsPatch } from "../access/reputation-settings.ts";
