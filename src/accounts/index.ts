/**
 * The public module of the accounts domain: what other domains may use of it. Everything else in
 * src/accounts/ is its own business (the composition root, src/app, may wire any of it).
 */
export { email } from "./accounts.schema.ts";
