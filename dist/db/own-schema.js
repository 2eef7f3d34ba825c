import { PostgresDialect, sql, } from "kysely";
/**
 * Kysely's migrator finds its tables by scanning the catalog of every schema on the server; when
 * another installation (or test run) drops a schema at that moment, the scan fails with "schema
 * ... does not exist" and so does the migration. Ours only needs to know about its own schema
 * (the configured one, or the connection's current schema).
 */
class OwnSchemaIntrospector {
    db;
    schema;
    constructor(db, schema) {
        this.db = db;
        this.schema = schema;
    }
    get own() {
        return this.schema === undefined ? sql `current_schema()` : sql `${this.schema}`;
    }
    async getSchemas() {
        const { rows } = await sql `select nspname as name from pg_catalog.pg_namespace
      where nspname = ${this.own}`.execute(this.db);
        return rows;
    }
    async getTables() {
        const { rows } = await sql `
      select c.relname as name, ns.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = ${this.own} and c.relkind in ('r', 'p', 'v')`.execute(this.db);
        return rows.map((row) => ({ name: row.name, schema: row.schema, isView: row.kind === "v", columns: [] }));
    }
    async getMetadata() {
        return { tables: await this.getTables() };
    }
}
/** PostgreSQL, with catalog lookups (the migrator's) confined to our own schema. */
export class OwnSchemaPostgresDialect extends PostgresDialect {
    schema;
    constructor(config, schema) {
        super(config);
        this.schema = schema;
    }
    createIntrospector(db) {
        return new OwnSchemaIntrospector(db, this.schema);
    }
}
