import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { idIn } from "../db/id-list.ts";
import { executeNamed } from "../db/prepared.ts";
import { keepCards, type Copy, type DocumentCard } from "./search.memory.ts";
import { trigramCodes } from "./search.text.ts";

interface CardRow {
  id: number;
  title: string;
  docType: "topic" | "article";
  solved: number;
}

/** The query documentCards runs (bench/explain.ts prints its plan). */
export function cardsQuery(db: Db, communityId: number, docIds: number[]) {
  return sql<CardRow>`select d.id, d.title, d.doc_type, d.solved from search_documents d
    where ${idIn(db, sql.raw("d.id"), docIds)} and d.community_id = ${communityId}`;
}

/**
 * The cards (search.memory.ts DocumentCard) of these documents, from the copy or read once (one
 * statement for all missing); a document the index no longer holds has none. What a read brings
 * is kept only if the copy did not change meanwhile.
 */
export async function documentCards(db: Db, copy: Copy, docIds: number[]): Promise<Map<number, DocumentCard>> {
  const cards = new Map<number, DocumentCard>();
  const missing: number[] = [];
  for (const id of new Set(docIds)) {
    const card = copy.cards.get(id);
    if (card) cards.set(id, card);
    else missing.push(id);
  }
  if (missing.length === 0) return cards;
  const version = copy.version;
  const rows = await executeNamed(db, cardsQuery(db, copy.communityId, missing));
  const read = new Map<number, DocumentCard>();
  for (const row of rows)
    read.set(Number(row.id), {
      titleCodes: trigramCodes(row.title),
      article: row.docType === "article",
      solved: Number(row.solved) === 1,
    });
  if (copy.version === version) keepCards(db, copy, read);
  for (const [id, card] of read) cards.set(id, card);
  return cards;
}
