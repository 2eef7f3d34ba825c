import fs from "node:fs";
import { sql } from "kysely";
import { foldedWords } from "./search.text.js";
/** Reads a word-vector text file (see above). Words beyond `maxWords` are not loaded. */
export function loadWordVectors(file, maxWords = 200_000) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const vectors = new Map();
    let dimensions = 0;
    for (const [i, line] of lines.entries()) {
        const parts = line.trim().split(/\s+/);
        if (parts.length < 2)
            continue;
        if (i === 0 && parts.length === 2 && /^\d+$/.test(parts[0]) && /^\d+$/.test(parts[1]))
            continue;
        const values = parts.slice(1).map(Number);
        if (dimensions === 0)
            dimensions = values.length;
        if (values.length !== dimensions || values.some((v) => !Number.isFinite(v)))
            throw new Error(`${file}:${i + 1}: expected a word and ${dimensions} numbers`);
        const word = foldedWords(parts[0])[0];
        if (word && !vectors.has(word))
            vectors.set(word, Float32Array.from(values));
        if (vectors.size >= maxWords)
            break;
    }
    if (vectors.size === 0)
        throw new Error(`${file}: no word vectors`);
    return {
        name: `vectors:${file.split("/").at(-1)}:${dimensions}`,
        dimensions,
        embed(text) {
            const sum = new Float32Array(dimensions);
            let found = 0;
            for (const word of foldedWords(text.slice(0, 20_000))) {
                const vector = vectors.get(word);
                if (!vector)
                    continue;
                found++;
                for (let d = 0; d < dimensions; d++)
                    sum[d] += vector[d];
            }
            return found ? normalise(sum) : null;
        },
    };
}
function normalise(vector) {
    let norm = 0;
    for (const v of vector)
        norm += v * v;
    if (norm === 0)
        return null;
    const scale = 1 / Math.sqrt(norm);
    return vector.map((v) => v * scale);
}
/** Cosine similarity of two unit vectors. */
export function cosine(a, b) {
    let dot = 0;
    for (let d = 0; d < a.length; d++)
        dot += a[d] * b[d];
    return dot;
}
let configured;
/** The admin's model (SEARCH_EMBEDDINGS), loaded once; null when none is configured. */
export function embeddingModel() {
    if (configured === undefined) {
        const file = process.env.SEARCH_EMBEDDINGS;
        configured = file ? loadWordVectors(file) : null;
    }
    return configured;
}
/** Sets (or, with null, removes) the model; for tests and for start-up code that loads it itself. */
export function setEmbeddingModel(model) {
    configured = model;
}
const toBytes = (vector) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
const fromBytes = (bytes) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
/** Stores (or removes, for a text without known words) a document's question vector. */
export async function storeVector(db, model, docId, communityId, text) {
    const vector = model.embed(text);
    await db.deleteFrom("searchVectors").where("docId", "=", docId).execute();
    if (vector)
        await db
            .insertInto("searchVectors")
            .values({ docId, communityId, model: model.name, vector: toBytes(vector) })
            .execute();
}
/** The documents of a community closest to a vector (cosine), best first. */
export async function nearestDocuments(db, model, communityId, query, limit) {
    const rows = await sql `select doc_id as "docId", vector from search_vectors
    where community_id = ${communityId} and model = ${model.name}`.execute(db);
    const scored = rows.rows
        .map((r) => ({ id: Number(r.docId), similarity: cosine(query, fromBytes(r.vector)) }))
        .sort((a, b) => b.similarity - a.similarity || b.id - a.id);
    return new Map(scored.map((s) => [s.id, s.similarity]).slice(0, limit));
}
/** The similarity of each of these documents to the vector (0 without a stored vector). */
export async function similarityOf(db, model, ids, query) {
    if (ids.length === 0)
        return new Map();
    const rows = await db
        .selectFrom("searchVectors")
        .select(["docId", "vector"])
        .where("docId", "in", ids)
        .where("model", "=", model.name)
        .execute();
    return new Map(rows.map((r) => [Number(r.docId), cosine(query, fromBytes(r.vector))]));
}
