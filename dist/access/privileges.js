import { isParticipant, suspensionOf } from "./access.js";
export function definePrivileges(table) {
    return table;
}
let rules = {};
/** Merges the domains' tables into the one registry `can()` reads; a name declared twice is a mistake. */
export function installPrivileges(tables) {
    const merged = {};
    for (const table of tables) {
        for (const [name, rule] of Object.entries(table)) {
            if (name in merged)
                throw new Error(`Privilege ${name} is declared twice`);
            merged[name] = rule;
        }
    }
    rules = merged;
}
/** The installed registry, for the permission matrix and the settings of kudos thresholds. */
export function privilegeRules() {
    return rules;
}
function ruleOf(privilege) {
    const rule = rules[privilege];
    if (!rule)
        throw new Error(`Unknown privilege ${privilege}: is its table installed?`);
    return rule;
}
/** Privileges members can earn with kudos, with their default thresholds. */
export function defaultThresholds() {
    const out = {};
    for (const [name, rule] of Object.entries(rules))
        if (rule.kudos !== undefined)
            out[name] = rule.kudos;
    return out;
}
/** The kudos this community asks for a level-gated privilege. */
export function kudosThreshold(access, privilege) {
    return access.standing.thresholds[privilege] ?? ruleOf(privilege).kudos ?? Number.POSITIVE_INFINITY;
}
/** May the actor do this, in this community, to an object owned by `ownerId` (if any)? */
export function can(access, privilege, ownerId) {
    if (!isParticipant(access))
        return false;
    const rule = ruleOf(privilege);
    if (!rule.whileSuspended && suspensionOf(access))
        return false;
    const isOwner = ownerId !== undefined && ownerId === access.actor.id;
    if (rule.notOwner && isOwner)
        return false;
    if (rule.anyParticipant)
        return true;
    if (rule.owner && isOwner)
        return true;
    if (access.role !== null && rule.roles?.includes(access.role))
        return true;
    if (rule.champions && access.standing.champion)
        return true;
    return rule.kudos !== undefined && access.standing.kudos >= kudosThreshold(access, privilege);
}
/** Champions-only categories (and their names) are for champions and staff. */
export function canSeeCategory(access, category) {
    return !category.championsOnly || can(access, "category.champions");
}
