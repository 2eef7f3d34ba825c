import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import * as m001 from "./migrations/001_core.ts";
import * as m002 from "./migrations/002_jobs.ts";
import * as m003 from "./migrations/003_notifications.ts";
import * as m004 from "./migrations/004_search.ts";
import * as m005 from "./migrations/005_audit.ts";
import * as m006 from "./migrations/006_reputation.ts";
import * as m007 from "./migrations/007_routing.ts";
import * as m008 from "./migrations/008_academy.ts";
import * as m009 from "./migrations/009_marketplace.ts";
import * as m010 from "./migrations/010_search_ranking.ts";
import * as m011 from "./migrations/011_insights.ts";
import * as m012 from "./migrations/012_trust.ts";
import * as m013 from "./migrations/013_ideas.ts";
import * as m014 from "./migrations/014_insights_rollups.ts";
import * as m015 from "./migrations/015_transfer.ts";
import * as m016 from "./migrations/016_allowed_origins.ts";
import * as m017 from "./migrations/017_accounts.ts";
import * as m018 from "./migrations/018_sso.ts";
import * as m019 from "./migrations/019_handles.ts";
import * as m020 from "./migrations/020_topic_comments.ts";
import * as m021 from "./migrations/021_topic_views.ts";
import * as m022 from "./migrations/022_attachments.ts";
import * as m023 from "./migrations/023_topics_ideas.ts";
import * as m027 from "./migrations/027_search_postings_covering.ts";
import * as m028 from "./migrations/028_community_time_zone.ts";
import * as m029 from "./migrations/029_course_show_mistakes.ts";
import * as m030 from "./migrations/030_search_stats_version.ts";
import * as m031 from "./migrations/031_notification_posts.ts";
import * as m032 from "./migrations/032_merged_questions.ts";
import * as m033 from "./migrations/033_deleted_identities.ts";
import * as m034 from "./migrations/034_email_actors.ts";
import * as m035 from "./migrations/035_hidden_solutions.ts";
import * as m036 from "./migrations/036_helpdesk_ticket_closed.ts";
import * as m037 from "./migrations/037_booking_problems.ts";
import * as m038 from "./migrations/038_accepted_by.ts";
import * as m039 from "./migrations/039_helpdesk_closed_backfill.ts";
import * as m040 from "./migrations/040_job_offer_currency.ts";
import * as m041 from "./migrations/041_published_posts.ts";
import * as m042 from "./migrations/042_offer_currency.ts";
import * as m043 from "./migrations/043_topic_answers.ts";
import * as m044 from "./migrations/044_deflection_token_id.ts";
import * as m045 from "./migrations/045_attachment_keys.ts";
import * as m046 from "./migrations/046_attachment_topics.ts";

/** Migrations are imported explicitly so they work the same from source and from a bundle. */
const migrations: Record<string, Migration> = {
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
  "011_insights": m011,
  "012_trust": m012,
  "013_ideas": m013,
  "014_insights_rollups": m014,
  "015_transfer": m015,
  "016_allowed_origins": m016,
  "017_accounts": m017,
  "018_sso": m018,
  "019_handles": m019,
  "020_topic_comments": m020,
  "021_topic_views": m021,
  "022_attachments": m022,
  "023_topics_ideas": m023,
  "027_search_postings_covering": m027,
  "028_community_time_zone": m028,
  "029_course_show_mistakes": m029,
  "030_search_stats_version": m030,
  "031_notification_posts": m031,
  "032_merged_questions": m032,
  "033_deleted_identities": m033,
  "034_email_actors": m034,
  "035_hidden_solutions": m035,
  "036_helpdesk_ticket_closed": m036,
  "037_booking_problems": m037,
  "038_accepted_by": m038,
  "039_helpdesk_closed_backfill": m039,
  "040_job_offer_currency": m040,
  "041_published_posts": m041,
  "042_offer_currency": m042,
  "043_topic_answers": m043,
  "044_deflection_token_id": m044,
  "045_attachment_keys": m045,
  "046_attachment_topics": m046,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * On PostgreSQL, name the schema: without it Kysely looks for its migration tables in every
 * schema and trips over another installation's (or test run's) tables on the same server.
 */
function migratorFor<T>(db: Kysely<T>, schema?: string): Migrator {
  // Numbers were handed out to parallel pieces of work, so a database may hold 007 before 006 arrives.
  return new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

export async function migrateToLatest<T>(db: Kysely<T>, schema?: string): Promise<void> {
  const { error, results } = await migratorFor(db, schema).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(
      `Migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The migrations this code knows that the database has not run (an instance started on old code). */
export async function pendingMigrations<T>(db: Kysely<T>, schema?: string): Promise<string[]> {
  const known = await migratorFor(db, schema).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
