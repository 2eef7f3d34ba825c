/**
 * The public module of the reputation domain: what other domains may use of it. Everything else in
 * src/reputation/ is its own business (the composition root, src/app, may wire any of it).
 */
export { reversePost } from "./reputation.kudos.js";
export { updateReputationSettings } from "./reputation.service.js";
export { reputationSettings, reputationSettingsPatch } from "./reputation.settings.js";
