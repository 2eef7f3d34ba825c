/**
 * The public module of the accounts domain: what other domains may use of it (single sign-on
 * creates accounts and logs members in with these). Everything else in src/accounts/ is its own
 * business (the composition root, src/app, may wire any of it).
 */
export { email, isReservedEmail } from "./accounts.schema.ts";
export { actorFromCredential, type Credential, createPasswordlessUser, createSession } from "./accounts.service.ts";
export { requestCredential, setSessionCookie } from "./session-cookie.ts";
export { claimWithProvenEmail } from "./accounts.sessions.ts";
export { allocateHandles, insertWithHandle, insertWithHandles } from "./accounts.handles.ts";
export { seedDemoMember } from "./accounts.seed.ts";
export { deletedEmail } from "./accounts.privacy.ts";
export { AVATAR_STEM } from "./accounts.avatars.ts";
