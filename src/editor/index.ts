/** The public module of the editor domain: what other domains may use of it. */
export { type Allowance, attachmentAllowance } from "./editor.policy.ts";
export { keepingAttachedImages } from "./editor.screening.ts";
