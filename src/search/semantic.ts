import fs from "node:fs";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { foldedWords } from "./search.text.ts";

/**
 * Optional semantic matching for similar questions (issue #17): an embedding model loaded from a
 * local path, never from a hub. Without one (the default) nothing here runs and the product's
 * ranking is purely lexical; it reaches the evaluation targets that way.
 *
 * The format is the plain text word-vector format of word2vec, fastText (.vec) and GloVe: one
 * word per line followed by its numbers, separated by spaces, with an optional first line
 * "<words> <dimensions>". A text's vector is the mean of its words' vectors (words lowercased,
 * diacritics and hyphens folded like the index), normalised to length 1. Static vectors distilled
 * from a sentence-embedding model (Model2Vec) are shipped in this format too. An admin sets
 * `SEARCH_EMBEDDINGS=/path/to/vectors.vec`; documents are embedded when (re)indexed.
 *
 * ONNX models through onnxruntime-node were the first choice: its install script downloads the
 * runtime from a package host other than npm, so it cannot be installed here. A model behind this
 * interface is what the rest of the code sees, so another loader can be added later.
 */
export interface EmbeddingModel {
  /** Stored with each vector: vectors of another model are ignored. */
  name: string;
  dimensions: number;
  /** A unit vector for the text, or null when none of its words is known. */
  embed(text: string): Float32Array | null;
}

/** Reads a word-vector text file (see above). Words beyond `maxWords` are not loaded. */
export function loadWordVectors(file: string, maxWords = 200_000): EmbeddingModel {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const vectors = new Map<string, Float32Array>();
  let dimensions = 0;
  for (const [i, line] of lines.entries()) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    if (i === 0 && parts.length === 2 && /^\d+$/.test(parts[0]) && /^\d+$/.test(parts[1])) continue;
    const values = parts.slice(1).map(Number);
    if (dimensions === 0) dimensions = values.length;
    if (values.length !== dimensions || values.some((v) => !Number.isFinite(v)))
      throw new Error(`${file}:${i + 1}: expected a word and ${dimensions} numbers`);
    const word = foldedWords(parts[0])[0];
    if (word && !vectors.has(word)) vectors.set(word, Float32Array.from(values));
    if (vectors.size >= maxWords) break;
  }
  if (vectors.size === 0) throw new Error(`${file}: no word vectors`);
  return {
    name: `vectors:${file.split("/").at(-1)}:${dimensions}`,
    dimensions,
    embed(text) {
      const sum = new Float32Array(dimensions);
      let found = 0;
      for (const word of foldedWords(text.slice(0, 20_000))) {
        const vector = vectors.get(word);
        if (!vector) continue;
        found++;
        for (let d = 0; d < dimensions; d++) sum[d] += vector[d];
      }
      return found ? normalise(sum) : null;
    },
  };
}

function normalise(vector: Float32Array): Float32Array | null {
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (norm === 0) return null;
  const scale = 1 / Math.sqrt(norm);
  return vector.map((v) => v * scale);
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let d = 0; d < a.length; d++) dot += a[d] * b[d];
  return dot;
}

let configured: EmbeddingModel | null | undefined;

/** The admin's model (SEARCH_EMBEDDINGS), loaded once; null when none is configured. */
export function embeddingModel(): EmbeddingModel | null {
  if (configured === undefined) {
    const file = process.env.SEARCH_EMBEDDINGS;
    configured = file ? loadWordVectors(file) : null;
  }
  return configured;
}

/** Sets (or, with null, removes) the model; for tests and for start-up code that loads it itself. */
export function setEmbeddingModel(model: EmbeddingModel | null): void {
  configured = model;
}

const toBytes = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
const fromBytes = (bytes: Uint8Array) =>
  new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

/** Stores (or removes, for a text without known words) a document's question vector. */
export async function storeVector(db: Db, model: EmbeddingModel, docId: number, communityId: number, text: string) {
  const vector = model.embed(text);
  await db.deleteFrom("searchVectors").where("docId", "=", docId).execute();
  if (vector)
    await db
      .insertInto("searchVectors")
      .values({ docId, communityId, model: model.name, vector: toBytes(vector) })
      .execute();
}

/** The documents of a community closest to a vector (cosine), best first. */
export async function nearestDocuments(
  db: Db,
  model: EmbeddingModel,
  communityId: number,
  query: Float32Array,
  limit: number,
): Promise<Map<number, number>> {
  const rows = await sql<{ docId: number; vector: Uint8Array }>`select doc_id as "docId", vector from search_vectors
    where community_id = ${communityId} and model = ${model.name}`.execute(db);
  const scored = rows.rows
    .map((r) => ({ id: Number(r.docId), similarity: cosine(query, fromBytes(r.vector)) }))
    .sort((a, b) => b.similarity - a.similarity || b.id - a.id);
  return new Map(scored.map((s) => [s.id, s.similarity]).slice(0, limit) as [number, number][]);
}

/** The similarity of each of these documents to the vector (0 without a stored vector). */
export async function similarityOf(
  db: Db,
  model: EmbeddingModel,
  ids: number[],
  query: Float32Array,
): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("searchVectors")
    .select(["docId", "vector"])
    .where("docId", "in", ids)
    .where("model", "=", model.name)
    .execute();
  return new Map(rows.map((r) => [Number(r.docId), cosine(query, fromBytes(r.vector as Uint8Array))]));
}
