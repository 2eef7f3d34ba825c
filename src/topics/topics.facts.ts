import type { AliasableExpression, ExpressionBuilder } from "kysely";
import type { Database } from "../db/schema.ts";

/**
 * What another domain needs to know of a topic before its panel on the topic page asks the
 * database: whether the topic has a poll, a duplicate mark or a help desk ticket, which service
 * friend could be booked for it (issue #12). Each fact is a scalar subquery on the topic's row,
 * read with the topic itself in one query (findTopicPage, topics.queries.ts), so a panel with
 * nothing to show costs no round trip. The composition root installs the facts with the panels
 * that read them, before the first page: the page's topic query is compiled once per database.
 */
export interface TopicFact {
  /** Its key in the page's `facts`. */
  name: string;
  select: (eb: ExpressionBuilder<Database, "topics">) => AliasableExpression<unknown>;
  /**
   * Its value is the id of another topic whose title the page shows (a duplicate's original): the
   * anonymous page cache drops the page when that topic changes too (hidden, moved, retitled).
   */
  showsTopic?: boolean;
}

let installed: readonly TopicFact[] = [];

export function installTopicFacts(facts: readonly TopicFact[]): void {
  installed = facts;
}

export function topicFacts(): readonly TopicFact[] {
  return installed;
}

/** The other topics a page shows, by its facts (showsTopic). */
export function topicsShown(facts: Readonly<Record<string, unknown>>): number[] {
  return installed
    .filter((fact) => fact.showsTopic && facts[fact.name] != null)
    .map((fact) => Number(facts[fact.name]));
}

/**
 * Whether the page's facts say the topic has nothing of this kind: its value is null. A fact that
 * was not installed says nothing (undefined), and its panel asks the database as before.
 */
export function lacks(facts: Readonly<Record<string, unknown>>, fact: TopicFact): boolean {
  return facts[fact.name] === null;
}
