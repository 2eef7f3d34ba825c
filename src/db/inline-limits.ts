import {
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";

/**
 * SQLite: writes a select's LIMIT into its SQL as a number instead of a bound parameter.
 *
 * SQLite plans with the LIMIT's value, so a statement whose LIMIT is a parameter is parsed and
 * planned again every time a value is bound to it: better-sqlite3 binds on every call, so the
 * statement cache saved nothing for those. The bell's query (its visibility checks make it long)
 * took 0.13-0.16 ms per page that way and 0.005 ms with its LIMIT written in, measured on the
 * bench corpus. A limit is always an integer the code chose or a validated page size, so the
 * SQL comes in few shapes; anything else (a prepared query's stand-in) stays a parameter.
 *
 * Only the outermost select's LIMIT, and the root node is the only one copied: a transformer
 * walking the whole tree would rebuild every node of every query. PostgreSQL keeps its
 * parameters (its named statements are planned once per connection either way).
 */
export class InlineLimitsPlugin implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind !== "SelectQueryNode" || !node.limit) return node;
    const { limit } = node.limit;
    if (!ValueNode.is(limit) || limit.immediate) return node;
    const value = limit.value;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) return node;
    return { ...node, limit: { ...node.limit, limit: ValueNode.createImmediate(value) } };
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
