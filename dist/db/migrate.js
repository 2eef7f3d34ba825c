import { Migrator } from "kysely";
import * as m001 from "./migrations/001_core.js";
import * as m002 from "./migrations/002_jobs.js";
import * as m003 from "./migrations/003_notifications.js";
import * as m004 from "./migrations/004_search.js";
import * as m005 from "./migrations/005_audit.js";
import * as m006 from "./migrations/006_reputation.js";
import * as m007 from "./migrations/007_routing.js";
import * as m008 from "./migrations/008_academy.js";
import * as m009 from "./migrations/009_marketplace.js";
import * as m010 from "./migrations/010_search_ranking.js";
/** Migrations are imported explicitly so they work the same from source and from a bundle. */
const migrations = {
    "001_core": m001,
    "002_jobs": m002,
    "003_notifications": m003,
    "004_search": m004,
    "005_audit": m005,
    "006_reputation": m006,
    "007_routing": m007,
    "008_academy": m008,
    "009_marketplace": m009,
    "010_search_ranking": m010,
};
const provider = { getMigrations: async () => migrations };
/**
 * On PostgreSQL, name the schema: without it Kysely looks for its migration tables in every
 * schema and trips over another installation's (or test run's) tables on the same server.
 */
export async function migrateToLatest(db, schema) {
    // Numbers were handed out to parallel pieces of work, so a database may hold 007 before 006 arrives.
    const migrator = new Migrator({
        db,
        provider,
        allowUnorderedMigrations: true,
        ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed) {
        throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
}
