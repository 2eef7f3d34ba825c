import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cosine, loadWordVectors, setEmbeddingModel } from "../../src/search/semantic.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { postFillers, postIndexed, roomyLimits } from "./support.ts";

/**
 * The optional embedding model, tested on a tiny word-vector file the test writes (the format an
 * admin's word2vec / fastText / GloVe / Model2Vec export uses): "drinking" and "hangover" point
 * the same way, "helps" and "cures" too, so two questions with no word in common are close.
 */
const TINY_MODEL = `8 4
hangover 1 0 0 0.1
drinking 0.9 0.1 0 0
cures 0 1 0 0.1
helps 0.1 0.9 0 0
night 0.3 0 0.2 0
router 0 0 1 0
wi-fi 0 0.1 0.9 0
invoice 0 0 0 1
`;

function writeModel(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-vectors-"));
  const file = path.join(dir, "tiny.vec");
  fs.writeFileSync(file, TINY_MODEL);
  return file;
}

describe("word-vector model loader", () => {
  test("reads the text format, folds words like the index, averages and normalises", () => {
    const model = loadWordVectors(writeModel());
    assert.equal(model.dimensions, 4);
    const a = model.embed("What helps after a night of drinking?")!;
    const b = model.embed("Sure fire hangover cures")!;
    const c = model.embed("Invoice sent twice")!;
    assert.ok(Math.abs(cosine(a, a) - 1) < 1e-6, "unit length");
    assert.ok(cosine(a, b) > 0.8, `paraphrases are close: ${cosine(a, b)}`);
    assert.ok(cosine(a, c) < 0.2, "unrelated texts are not");
    assert.ok(model.embed("WiFi") !== null, "hyphens fold: wi-fi is wifi");
    assert.equal(model.embed("nothing known here"), null);
  });

  test("a malformed file is refused with its line", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-vectors-")), "bad.vec");
    fs.writeFileSync(file, "router 1 0\nwifi 1\n");
    assert.throws(() => loadWordVectors(file), /bad\.vec:2/);
  });
});

describeEachDatabase(
  "similar questions with an embedding model",
  (env) => {
    before(() => setEmbeddingModel(loadWordVectors(writeModel())));
    after(() => setEmbeddingModel(null));

    test("a paraphrase with no word in common is suggested only through the model", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postFillers(env(), slug, asker, helper);
      const cures = await postIndexed(env(), slug, asker, helper, {
        title: "Sure fire hangover cures?",
        body: "Asking for a friend.",
      });
      const query = { title: "What helps after drinking all night?", body: "" };
      const res = await env().api.get(`/api/v1/communities/${slug}/similar?${new URLSearchParams(query)}`);
      assert.equal(res.status, 200);
      assert.equal(res.body[0]?.topic.id, cures.id);
      setEmbeddingModel(null);
      try {
        const without = await env().api.get(`/api/v1/communities/${slug}/similar?${new URLSearchParams(query)}`);
        assert.ok(!without.body.some((s: any) => s.topic.id === cures.id), "lexical ranking alone cannot find it");
      } finally {
        setEmbeddingModel(loadWordVectors(writeModel()));
      }
    });
  },
  roomyLimits,
);
