import { type TermVolume, type TopicCounts, TOPIC_COUNTS, addCounts, noTopicCounts } from "./insights.metrics.ts";
import { COMMUNITY_COUNTS, type CommunityCounts, type DayRows } from "./insights.days.ts";

/**
 * What a dashboard needs of a run of days, whether rolled up or computed live: the counts and
 * first-response times of each day, and over the range (days from `split` on) and the period
 * before it, the answers per contributor, who was active and the volume of each term.
 */
export interface DayFigures {
  counts: TopicCounts;
  community: CommunityCounts;
  responsesMs: number[];
}

export interface Readout {
  days: Map<string, DayFigures>;
  /** In the range only. */
  contributors: Map<number, { answers: number; accepted: number }>;
  active: Map<number, { current: boolean; previous: boolean }>;
  /** By `type|term`. */
  terms: Map<string, TermVolume>;
}

export const noCommunityCounts = (): CommunityCounts => ({
  searches: 0,
  suggestionsShown: 0,
  deflected: 0,
  newMembers: 0,
});

export function emptyReadout(): Readout {
  return { days: new Map(), contributors: new Map(), active: new Map(), terms: new Map() };
}

export function dayOf(readout: Readout, day: string): DayFigures {
  let figures = readout.days.get(day);
  if (!figures) {
    figures = { counts: noTopicCounts(), community: noCommunityCounts(), responsesMs: [] };
    readout.days.set(day, figures);
  }
  return figures;
}

export function addContributor(readout: Readout, userId: number, answers: number, accepted: number): void {
  const entry = readout.contributors.get(userId) ?? { answers: 0, accepted: 0 };
  entry.answers += answers;
  entry.accepted += accepted;
  readout.contributors.set(userId, entry);
}

export function addActive(readout: Readout, userId: number, current: boolean, previous: boolean): void {
  const entry = readout.active.get(userId) ?? { current: false, previous: false };
  entry.current ||= current;
  entry.previous ||= previous;
  readout.active.set(userId, entry);
}

/** Adds topics with a term; the label stays the one written first in the range. */
export function addTerm(readout: Readout, volume: TermVolume): void {
  const key = `${volume.type}|${volume.term}`;
  const entry = readout.terms.get(key);
  if (!entry) {
    readout.terms.set(key, { ...volume });
    return;
  }
  entry.current += volume.current;
  entry.previous += volume.previous;
  if (volume.firstAt !== null && (entry.firstAt === null || volume.firstAt < entry.firstAt)) {
    entry.firstAt = volume.firstAt;
    entry.label = volume.label;
  }
}

/** The readout of rows computed live (split: the first day of the range). */
export function readoutOf(rows: DayRows, split: string): Readout {
  const readout = emptyReadout();
  for (const d of rows.days) addCounts(dayOf(readout, d.day).community, d, COMMUNITY_COUNTS);
  for (const d of rows.daily) addCounts(dayOf(readout, d.day).counts, d, TOPIC_COUNTS);
  for (const r of rows.responses) dayOf(readout, r.day).responsesMs.push(r.responseMs);
  for (const c of rows.contributors) if (c.day >= split) addContributor(readout, c.userId, c.answers, c.accepted);
  for (const a of rows.active) addActive(readout, a.userId, a.day >= split, a.day < split);
  for (const t of rows.terms) {
    const current = t.day >= split;
    addTerm(readout, {
      type: t.type,
      term: t.term,
      label: t.label,
      current: current ? t.topics : 0,
      previous: current ? 0 : t.topics,
      firstAt: current ? t.firstAt : null,
    });
  }
  return readout;
}

export function mergeReadouts(into: Readout, from: Readout): Readout {
  for (const [day, f] of from.days) {
    const target = dayOf(into, day);
    addCounts(target.counts, f.counts, TOPIC_COUNTS);
    addCounts(target.community, f.community, COMMUNITY_COUNTS);
    target.responsesMs.push(...f.responsesMs);
  }
  for (const [userId, c] of from.contributors) addContributor(into, userId, c.answers, c.accepted);
  for (const [userId, a] of from.active) addActive(into, userId, a.current, a.previous);
  for (const volume of from.terms.values()) addTerm(into, volume);
  return into;
}
