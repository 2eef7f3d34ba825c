/**
 * The public module of the transfer domain: bringing communities in (Stack Exchange dumps,
 * Crowdservice archives), taking them out, and backups. The command line (src/cli) drives it.
 */
export { exportCommunity } from "./archive.export.ts";
export { importArchive } from "./archive.import.ts";
export { backupDatabase, restoreBackup } from "./backup.ts";
export { claimBody, claimImportedMember } from "./claim.ts";
export { type ImportSummary, importStackExchange } from "./stackexchange.import.ts";
export type { Progress } from "./transfer.community.ts";
