import { html, type Html } from "../web/html.ts";

/**
 * Charts as server-rendered SVG: readable without JavaScript, named and described for screen
 * readers (role="img" with a title and a description giving the range and the extremes), each
 * bar or point with its own <title>, which browsers show as a tooltip. No client library.
 */
export interface ChartPoint {
  label: string;
  /** null: nothing to show for this point (a rate with no denominator). */
  value: number | null;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** The description read to screen readers, e.g. "30 values from ... to ...: lowest 2, highest 9." */
  describe(values: { count: number; min: string; max: string }): string;
  /** How a value reads in tooltips and the description. */
  format(value: number): string;
  points: ChartPoint[];
  kind: "bars" | "line";
  empty: string;
}

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 22, left: 48 };
const round = (n: number) => Math.round(n * 10) / 10;

export function chart(spec: ChartSpec): Html {
  const values = spec.points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  if (values.length === 0) {
    return html`<figure class="chart">
<figcaption id="${titleId}">${spec.title}</figcaption>
<p class="empty">${spec.empty}</p>
</figure>`;
  }
  const min = Math.min(0, ...values);
  const max = Math.max(0, ...values);
  const span = max - min || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => round(PAD.top + ((max - v) / span) * plotH);
  const step = plotW / spec.points.length;
  const x = (i: number) => round(PAD.left + step * i + step / 2);
  const zero = y(0);
  const tip = (p: ChartPoint) => `${p.label}: ${p.value === null ? "" : spec.format(p.value)}`;
  const marks =
    spec.kind === "bars"
      ? spec.points.map((p, i) => {
          if (p.value === null) return "";
          const top = Math.min(y(p.value), zero);
          const height = Math.max(round(Math.abs(y(p.value) - zero)), p.value === 0 ? 0 : 1);
          const cls = p.value < 0 ? "bar negative" : "bar";
          return html`<rect class="${cls}" x="${round(x(i) - (step * 0.7) / 2)}" y="${top}"
  width="${round(step * 0.7)}" height="${height}">
<title>${tip(p)}</title>
</rect>`;
        })
      : lineMarks(spec.points, x, y, tip);
  const first = spec.points[0].label;
  const last = spec.points[spec.points.length - 1].label;
  const description = spec.describe({
    count: values.length,
    min: spec.format(Math.min(...values)),
    max: spec.format(Math.max(...values)),
  });
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}" preserveAspectRatio="none">
<title id="${titleId}">${spec.title}</title><desc id="${descId}">${description}</desc>
<line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${zero}" y2="${zero}"/>
<text class="tick" x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${spec.format(max)}</text>
${
  min < 0
    ? html`<text class="tick" x="${PAD.left - 6}" y="${HEIGHT - PAD.bottom}"
        text-anchor="end">${spec.format(min)}</text>`
    : html`<text class="tick" x="${PAD.left - 6}" y="${zero}" text-anchor="end">${spec.format(0)}</text>`
}
<text class="tick" x="${PAD.left}" y="${HEIGHT - 6}">${first}</text>
<text class="tick" x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" text-anchor="end">${last}</text>
${marks}
</svg>
<figcaption aria-hidden="true">${spec.title}</figcaption>
</figure>`;
}

/** A line through the points that have a value (a gap where one is missing), with a dot per value. */
function lineMarks(
  points: ChartPoint[],
  x: (i: number) => number,
  y: (v: number) => number,
  tip: (p: ChartPoint) => string,
): Html[] {
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current.length) segments.push(current.join(" "));
      current = [];
    } else current.push(`${x(i)},${y(p.value)}`);
  });
  if (current.length) segments.push(current.join(" "));
  return [
    ...segments.map((s) => html`<polyline class="line" points="${s}"/>`),
    ...points.map((p, i) =>
      p.value === null
        ? html``
        : html`<circle class="dot" cx="${x(i)}" cy="${y(p.value)}" r="3"><title>${tip(p)}</title></circle>`,
    ),
  ];
}
