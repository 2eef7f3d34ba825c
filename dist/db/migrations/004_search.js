import { sql } from "kysely";
import { dialectOf } from "../dialect.js";
/**
 * Search: knowledge base articles, duplicate marks, deflection events and the search index.
 *
 * The index is one row per topic or article in search_documents. On SQLite its text lives in FTS5
 * tables keyed by that row's id: search_fts_porter (English: porter stemming), search_fts_plain
 * (German, French, Italian: unicode61 without diacritics, stemmed at query time) and
 * search_trigram (titles, trigram tokenizer, for similar questions). On PostgreSQL the row holds a
 * weighted tsvector (GIN) and the title has a pg_trgm GIN index.
 */
export async function up(db) {
    const postgres = dialectOf(db) === "postgres";
    const withId = (table) => postgres
        ? table.addColumn("id", "serial", (c) => c.primaryKey())
        : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
    await withId(db.schema.createTable("articles"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("category_id", "integer", (c) => c.references("categories.id").onDelete("set null"))
        .addColumn("source_topic_id", "integer", (c) => c.references("topics.id").onDelete("set null"))
        .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("body_html", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("articles_community").on("articles").columns(["community_id", "id"]).execute();
    await db.schema.createIndex("articles_source").on("articles").column("source_topic_id").execute();
    await db.schema
        .createTable("topic_duplicates")
        .addColumn("topic_id", "integer", (c) => c.primaryKey().references("topics.id").onDelete("cascade"))
        .addColumn("original_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
        .addColumn("marked_by", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("topic_duplicates_original").on("topic_duplicates").column("original_id").execute();
    await withId(db.schema.createTable("deflection_events"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("type", "text", (c) => c.notNull())
        /** A random id the browser keeps for one visit; no personal data. */
        .addColumn("visit_id", "text")
        .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("topic_id", "integer", (c) => c.references("topics.id").onDelete("set null"))
        .addColumn("article_id", "integer", (c) => c.references("articles.id").onDelete("set null"))
        /** 1 when the opened topic was solved (or an article) at the time: such an open can deflect a contact. */
        .addColumn("solved", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("deflection_events_time")
        .on("deflection_events")
        .columns(["community_id", "created_at"])
        .execute();
    let documents = withId(db.schema.createTable("search_documents"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("doc_type", "text", (c) => c.notNull())
        .addColumn("topic_id", "integer", (c) => c.unique().references("topics.id").onDelete("cascade"))
        .addColumn("article_id", "integer", (c) => c.unique().references("articles.id").onDelete("cascade"))
        .addColumn("locale", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("indexed_at", "bigint", (c) => c.notNull());
    if (postgres) {
        documents = documents
            .addColumn("body_text", "text", (c) => c.notNull().defaultTo(""))
            .addColumn("accepted_text", "text", (c) => c.notNull().defaultTo(""))
            .addColumn("replies_text", "text", (c) => c.notNull().defaultTo(""))
            .addColumn("tsv", sql `tsvector`, (c) => c.notNull());
    }
    await documents.execute();
    await db.schema.createIndex("search_documents_community").on("search_documents").column("community_id").execute();
    if (postgres) {
        const trgm = await ensurePgTrgm(db);
        await sql `create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
        await sql `create index search_documents_title_trgm on search_documents using gin (title ${sql.raw(`"${trgm}".gin_trgm_ops`)})`.execute(db);
        return;
    }
    const fts = (name, tokenize) => sql `create virtual table ${sql.raw(name)} using fts5(title, tags, body, accepted, replies, tokenize = ${sql.lit(tokenize)})`.execute(db);
    await fts("search_fts_porter", "porter unicode61 remove_diacritics 2");
    await fts("search_fts_plain", "unicode61 remove_diacritics 2");
    await sql `create virtual table search_trigram using fts5(title, tokenize = 'trigram remove_diacritics 1')`.execute(db);
    // FTS5 tables take no part in foreign keys: a removed document (directly or by cascade) takes its text along.
    await sql `create trigger search_documents_delete after delete on search_documents begin
    delete from search_fts_porter where rowid = old.id;
    delete from search_fts_plain where rowid = old.id;
    delete from search_trigram where rowid = old.id;
  end`.execute(db);
}
/**
 * pg_trgm, created in public when missing (an extension lives in one schema per database; public
 * survives the per-run schemas tests drop). Returns the schema that holds it.
 */
async function ensurePgTrgm(db) {
    try {
        await sql `create extension if not exists pg_trgm with schema public`.execute(db);
    }
    catch (error) {
        // Two instances migrating at once: the other one created it.
        if (error.code !== "23505")
            throw error;
    }
    const row = await sql `select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
    const schema = row.rows[0]?.schema;
    if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema))
        throw new Error("pg_trgm is not available in this database.");
    return schema;
}
export async function down() {
    throw new Error("Not reversible.");
}
