import type { Db } from "../db/database.ts";
import type { ExternalKind } from "../db/schema.ts";

/**
 * What each external record of one source became in one community, kept in external_ids. Loaded
 * once into memory; new entries are written in the transaction of the rows they map, and become
 * visible here only when it commits, so a batch that fails leaves nothing behind.
 */
export class ExternalIds {
  private readonly known = new Map<string, number>();
  private pending = new Map<string, number>();

  private constructor(
    readonly communityId: number,
    readonly source: string,
  ) {}

  static async load(db: Db, communityId: number, source: string): Promise<ExternalIds> {
    const ids = new ExternalIds(communityId, source);
    const rows = await db
      .selectFrom("externalIds")
      .select(["kind", "externalId", "localId"])
      .where("communityId", "=", communityId)
      .where("source", "=", source)
      .execute();
    for (const row of rows) ids.known.set(`${row.kind}:${row.externalId}`, row.localId);
    return ids;
  }

  get(kind: ExternalKind, externalId: string | undefined): number | undefined {
    if (externalId === undefined) return undefined;
    const key = `${kind}:${externalId}`;
    return this.pending.get(key) ?? this.known.get(key);
  }

  /** Records a new mapping inside the transaction that created the local row. */
  async add(tx: Db, kind: ExternalKind, externalId: string, localId: number): Promise<void> {
    await this.addMany(tx, kind, [[externalId, localId]]);
  }

  /** Records many new mappings of one kind at once (a batch of members). */
  async addMany(tx: Db, kind: ExternalKind, pairs: [externalId: string, localId: number][]): Promise<void> {
    const rows = pairs.map(([externalId, localId]) => ({
      communityId: this.communityId,
      source: this.source,
      kind,
      externalId,
      localId,
    }));
    for (let i = 0; i < rows.length; i += 100)
      await tx
        .insertInto("externalIds")
        .values(rows.slice(i, i + 100))
        .execute();
    for (const [externalId, localId] of pairs) this.pending.set(`${kind}:${externalId}`, localId);
  }

  /** Runs `work` in one transaction; its new mappings count only once it committed (inside it, they
   * are seen by the rows that follow). */
  async inTransaction(db: Db, work: (tx: Db) => Promise<void>): Promise<void> {
    this.pending.clear();
    try {
      await db.transaction().execute(work);
      for (const [key, id] of this.pending) this.known.set(key, id);
    } finally {
      this.pending.clear();
    }
  }

  count(kind: ExternalKind): number {
    let n = 0;
    for (const key of this.known.keys()) if (key.startsWith(`${kind}:`)) n += 1;
    return n;
  }
}
