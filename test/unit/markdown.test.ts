import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { imagesShown, renderMarkdown } from "../../src/lib/markdown.ts";

/** Every tag the output contains, as written. */
const tags = (html: string) => html.match(/<[a-z][^>]*>/gi) ?? [];
/** The attribute names of a tag; quoted values are skipped, so text inside them is not mistaken for an attribute. */
const attributeNames = (tag: string) =>
  [...tag.replace(/^<[a-z0-9]+/i, "").matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)].map((m) =>
    m[1].toLowerCase(),
  );
/** Every URL in an href or src attribute. */
const urls = (html: string) => [...html.matchAll(/\s(?:href|src)="([^"]*)"/gi)].map((m) => m[1]);

describe("renderMarkdown", () => {
  test("renders ordinary Markdown", () => {
    const html = renderMarkdown("**bold** and *em*\n\n- one\n- two\n\n`code`");
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<em>em<\/em>/);
    assert.match(html, /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    assert.match(html, /<code>code<\/code>/);
  });

  test("script tags are escaped, never emitted", () => {
    for (const source of [
      "<script>alert(1)</script>",
      "hello <SCRIPT src=//evil.example/x.js></SCRIPT>",
      "```\n<script>alert(1)</script>\n```",
      "<scr<script>ipt>alert(1)</script>",
    ]) {
      const html = renderMarkdown(source);
      assert.ok(!tags(html).some((t) => /^<script/i.test(t)), `${source} -> ${html}`);
      assert.match(html, /&lt;script/i, source);
    }
  });

  test("raw HTML with event handlers (onerror, onclick, ...) is escaped", () => {
    const sources = [
      "<img src=x onerror=alert(1)>",
      '<a href="https://example.com" onclick="alert(1)">x</a>',
      "<svg onload=alert(1)>",
      '<div style="x" onmouseover="alert(1)">hover</div>',
      '![a](x"onerror="alert(1))',
      '[t](https://example.com "t\\" onmouseover=\\"alert(1)")',
    ];
    for (const source of sources) {
      const html = renderMarkdown(source);
      for (const tag of tags(html))
        assert.ok(!attributeNames(tag).some((name) => name.startsWith("on")), `${source} -> ${html}`);
      assert.ok(!tags(html).some((t) => /^<(svg|div)/i.test(t)), `${source} -> ${html}`);
    }
  });

  test("javascript:, vbscript: and file: links are not linked, however they are spelled", () => {
    const sources = [
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](javascript&#58;alert(1))",
      "[x](&#x6A;avascript:alert(1))",
      "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
      "[x]( javascript:alert(1) )",
      "<javascript:alert(1)>",
      "[x][ref]\n\n[ref]: javascript:alert(1)",
      "![x](javascript:alert(1))",
      "[x](vbscript:msgbox(1))",
      "[x](file:///etc/passwd)",
    ];
    for (const source of sources) {
      const html = renderMarkdown(source);
      for (const url of urls(html))
        assert.doesNotMatch(url.replace(/\s/g, ""), /^(javascript|vbscript|file):/i, `${source} -> ${html}`);
      assert.ok(!tags(html).some((t) => /^<a\s/i.test(t)), `${source} -> ${html}`);
    }
  });

  test("data: URLs are neutralised in links and images, whatever the media type", () => {
    const sources = [
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "[x](data:text/html,<script>alert(1)</script>)",
      "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
      "![x](data:image/png;base64,iVBORw0KGgo=)",
      "[x](data:image/png;base64,iVBORw0KGgo=)",
      "[x](DATA:text/html,hi)",
      "<data:text/html,hi>",
    ];
    for (const source of sources) {
      const html = renderMarkdown(source);
      for (const url of urls(html)) assert.doesNotMatch(url, /^\s*data:/i, `${source} -> ${html}`);
    }
  });

  test("links, autolinks and linkified URLs get rel=nofollow", () => {
    for (const source of [
      "[site](https://example.com/a)",
      "<https://example.com/a>",
      "see https://example.com/a today",
      "[ref link][r]\n\n[r]: https://example.com/a",
    ]) {
      const html = renderMarkdown(source);
      const anchors = tags(html).filter((t) => /^<a\s/i.test(t));
      assert.equal(anchors.length, 1, `${source} -> ${html}`);
      assert.match(anchors[0], /href="https:\/\/example\.com\/a"/);
      const rel = anchors[0].match(/rel="([^"]*)"/)?.[1] ?? "";
      assert.ok(rel.split(" ").includes("nofollow"), `${source} -> ${html}`);
      assert.ok(rel.split(" ").includes("ugc"), `${source} -> ${html}`);
    }
  });

  test("the attribute check itself sees an event handler in a tag", () => {
    assert.deepEqual(attributeNames("<img src=\"x\" onerror=alert(1) alt='a'>"), ["src", "onerror", "alt"]);
    assert.deepEqual(attributeNames('<a title="t onmouseover=x" href="/">'), ["title", "href"]);
  });

  test("ordinary images and relative links still work", () => {
    const html = renderMarkdown("![router](https://example.com/router.png) and [docs](/c/demo)");
    assert.match(html, /<img src="https:\/\/example\.com\/router\.png" alt="router">/);
    assert.match(html, /<a href="\/c\/demo"/);
  });
});

describe("the images a rendered post shows", () => {
  const hash = "ab".repeat(16);
  test("attached images count each showing, their keys come once; images from elsewhere are counted apart", () => {
    const attached = `/uploads/attachments/${hash}-800x600.webp`;
    const html = renderMarkdown(
      `![a](${attached}) again ![b](${attached}), its thumbnail ![c](/uploads/attachments/${hash}-800x600-thumb.webp)` +
        " ![d](/uploads/attachments/not-a-key.png) ![e](https://example.com/e.png) ![f](/logo.svg)",
    );
    assert.deepEqual(imagesShown(html), { attached: 4, keys: [`attachments/${hash}-800x600.webp`], external: 2 });
  });

  test("a post without images shows none; a link to an attached image is no image", () => {
    assert.deepEqual(imagesShown(renderMarkdown(`[the bill](/uploads/attachments/${hash}-8x6.webp)`)), {
      attached: 0,
      keys: [],
      external: 0,
    });
  });
});
