import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";

test("a number setting is digits or nothing: a blank or oddly written value stops the start", () => {
  assert.equal(loadConfig({ PORT: "8080" }).port, 8080);
  assert.equal(loadConfig({ PORT: "" }).port, loadConfig({}).port, "empty: the default");
  for (const [name, raw] of [
    ["RATE_LIMIT_LOGIN", "\t"], // Number() reads it as 0: every login refused
    ["PORT", " "], // port 0: a random port
    ["PORT", "0x1F90"],
    ["PORT", "8e3"],
    ["PORT", "-1"],
    ["PORT", "80.5"],
  ])
    assert.throws(
      () => loadConfig({ [name]: raw }),
      new RegExp(`${name} must be a non-negative integer`),
      `${name}=${raw}`,
    );
});

test("BASE_URL is an http(s) address: links cannot start with a bare host name or carry a query", () => {
  assert.equal(loadConfig({ BASE_URL: "https://help.example.com/" }).baseUrl, "https://help.example.com");
  assert.equal(loadConfig({ BASE_URL: " https://example.com/community// " }).baseUrl, "https://example.com/community");
  assert.equal(loadConfig({ HOST: "::1", PORT: "8080" }).baseUrl, "http://[::1]:8080", "IPv6 in brackets");
  assert.equal(loadConfig({ HOST: "127.0.0.1", PORT: "8080" }).baseUrl, "http://127.0.0.1:8080");
  for (const raw of [
    "help.example.com",
    "ftp://example.com",
    "javascript:alert(1)",
    "https://user:secret@example.com",
    "https://example.com/?a=1",
    "https://example.com/#top",
    "https://example.com?",
  ])
    assert.throws(() => loadConfig({ BASE_URL: raw }), /BASE_URL must be an http:\/\/ or https:\/\/ address/, raw);
});
