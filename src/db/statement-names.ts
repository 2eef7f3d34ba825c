/**
 * Names of the SQL texts that prepared() and executeNamed() run (prepared.ts registers them). On
 * PostgreSQL a connection sends a named statement for these (database.ts), so the server parses
 * and plans each one once per connection instead of on every call: planning a page's hot queries
 * cost the database more CPU than running them. The texts are the code's own query shapes, with
 * every value a parameter, never built from input.
 */
const statementNames = new Map<string, string>();
/** A bound all the same: a statement shape built from input by mistake must not grow it forever. */
const NAMES_MAX = 1_000;

export function nameStatement(text: string): void {
  if (!statementNames.has(text) && statementNames.size < NAMES_MAX)
    statementNames.set(text, `cs_prepared_${statementNames.size + 1}`);
}

/** The name a prepared query's SQL is sent under, if it is one. */
export const statementName = (text: string): string | undefined => statementNames.get(text);
