import {
  OperationNodeTransformer,
  ValueNode,
  type KyselyPlugin,
  type LimitNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";

/**
 * Writes a query's LIMIT into its SQL as a number instead of a bound parameter.
 *
 * SQLite plans with the LIMIT's value, so a statement whose LIMIT is a parameter is parsed and
 * planned again every time a value is bound to it: better-sqlite3 binds on every call, so the
 * statement cache saved nothing for those. The bell's query (its visibility checks make it long)
 * took 0.13-0.16 ms per page that way and 0.005 ms with its LIMIT written in, measured on the
 * bench corpus. A limit is always an integer the code chose or a validated page size, so the
 * SQL comes in few shapes; anything else (a prepared query's stand-in) stays a parameter.
 */
export class InlineLimitsPlugin implements KyselyPlugin {
  readonly #transformer = new InlineLimits();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

class InlineLimits extends OperationNodeTransformer {
  protected override transformLimit(node: LimitNode, queryId?: QueryId): LimitNode {
    const { limit } = node;
    if (ValueNode.is(limit) && !limit.immediate && Number.isSafeInteger(limit.value) && (limit.value as number) >= 0)
      return { ...node, limit: ValueNode.createImmediate(limit.value) };
    return super.transformLimit(node, queryId);
  }
}
