import type { Kysely } from "kysely";

/**
 * Attached images by key: serving one asks which communities hold it (storage/attachment-access.ts),
 * on every request for an image, and deleting a row asks whether another still holds its files
 * (storage/attachment-keys.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("attachments_key_idx").on("attachments").column("key").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("attachments_key_idx").execute();
}
