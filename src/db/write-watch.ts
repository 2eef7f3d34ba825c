import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  OperationNode,
  QueryResult,
  TransactionSettings,
} from "kysely";

/**
 * What a commit watcher wants done with a commit: statements to run on the same connection just
 * before COMMIT (a NOTIFY, delivered only if the commit succeeds), and a call once it is durable.
 */
export interface CommitPlan {
  statements?: readonly CompiledQuery[];
  committed(): void;
}

/** Told which tables a commit (or a statement outside a transaction) wrote, by their SQL names. */
export type CommitWatcher = (tables: ReadonlySet<string>) => CommitPlan | undefined;

/** Raw SQL writes: the statement's first word after an optional CTE, and its table. */
const RAW_WRITE = /^\s*(?:with\b[\s\S]*?\)\s*)?(?:insert\s+into|update|delete\s+from)\s+"?([a-z_0-9]+)"?/i;
const RAW_WRITE_WORD = /\b(insert|update|delete)\b/i;
const RAW_NOT_A_WRITE = /\b(?:for\s+(?:no\s+key\s+)?update|do\s+update)\b/gi;

function tableOf(node: OperationNode | undefined): string {
  if (!node) return "?";
  const n = node as OperationNode & Record<string, unknown>;
  switch (node.kind) {
    case "TableNode":
      return ((n.table as { identifier: { name: string } }).identifier.name ?? "?").toLowerCase();
    case "AliasNode":
      return tableOf(n.node as OperationNode);
    case "FromNode":
      return tableOf((n.froms as OperationNode[])[0]);
    default:
      return "?";
  }
}

/**
 * The table a statement writes, or null for a read. A raw statement that mentions a write but
 * whose table cannot be read counts as a write to "?", so watchers err on the safe side.
 */
export function writtenTable(query: CompiledQuery): string | null {
  const node = query.query as OperationNode & Record<string, unknown>;
  switch (node.kind) {
    case "InsertQueryNode":
    case "MergeQueryNode":
      return tableOf(node.into as OperationNode);
    case "UpdateQueryNode":
      return tableOf(node.table as OperationNode);
    case "DeleteQueryNode":
      return tableOf(node.from as OperationNode);
    case "RawNode": {
      const raw = RAW_WRITE.exec(query.sql);
      if (raw) return raw[1].toLowerCase();
      if (/^\s*(begin|commit|rollback|savepoint|release|set|create|alter|drop|pragma|listen)\b/i.test(query.sql))
        return null;
      return RAW_WRITE_WORD.test(query.sql.replace(RAW_NOT_A_WRITE, "")) ? "?" : null;
    }
    default:
      return null;
  }
}

/** Per connection: whether a transaction is open and the tables it wrote so far. */
interface Watched {
  inner: DatabaseConnection;
  inTransaction: boolean;
  tables: Set<string>;
}

/**
 * Watches every committed write of one database, at the driver: transactions of every kind
 * (`transaction()`, Kysely's own, the migrator's) report once, after their COMMIT; statements
 * outside a transaction report right after they ran. Reads cost one switch on the query's kind.
 */
export class WriteWatch {
  private readonly watchers = new Set<CommitWatcher>();

  watch(watcher: CommitWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** The dialect with its driver wrapped. */
  wrap(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => this.wrapDriver(dialect.createDriver()),
    };
  }

  private plans(tables: ReadonlySet<string>): CommitPlan[] {
    const plans: CommitPlan[] = [];
    for (const watcher of this.watchers) {
      const plan = watcher(tables);
      if (plan) plans.push(plan);
    }
    return plans;
  }

  private async runPlans(connection: DatabaseConnection, plans: CommitPlan[]): Promise<void> {
    for (const plan of plans) for (const statement of plan.statements ?? []) await connection.executeQuery(statement);
  }

  private wrapDriver(driver: Driver): Driver {
    const watch = this;
    const connections = new WeakMap<DatabaseConnection, Watched>();
    const state = (connection: DatabaseConnection) => connections.get(connection) as Watched;
    return {
      init: () => driver.init(),
      destroy: () => driver.destroy(),
      async acquireConnection() {
        const inner = await driver.acquireConnection();
        const watched: Watched = { inner, inTransaction: false, tables: new Set() };
        const connection: DatabaseConnection = {
          async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
            const table = writtenTable(query);
            const result = await inner.executeQuery<R>(query);
            // An upsert that did nothing, an update that matched no row: nothing changed.
            if (table === null || result.numAffectedRows === 0n) return result;
            if (watched.inTransaction) {
              watched.tables.add(table);
            } else {
              const plans = watch.plans(new Set([table]));
              await watch.runPlans(inner, plans);
              for (const plan of plans) plan.committed();
            }
            return result;
          },
          streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
        };
        connections.set(connection, watched);
        return connection;
      },
      async releaseConnection(connection) {
        await driver.releaseConnection(state(connection).inner);
      },
      async beginTransaction(connection, settings: TransactionSettings) {
        const watched = state(connection);
        await driver.beginTransaction(watched.inner, settings);
        watched.inTransaction = true;
        watched.tables.clear();
      },
      async commitTransaction(connection) {
        const watched = state(connection);
        const plans = watched.tables.size > 0 ? watch.plans(watched.tables) : [];
        watched.tables = new Set();
        await watch.runPlans(watched.inner, plans);
        await driver.commitTransaction(watched.inner);
        watched.inTransaction = false;
        for (const plan of plans) plan.committed();
      },
      async rollbackTransaction(connection) {
        const watched = state(connection);
        watched.inTransaction = false;
        watched.tables.clear();
        await driver.rollbackTransaction(watched.inner);
      },
      ...(driver.savepoint && {
        savepoint: (connection, name, compile) => driver.savepoint!(state(connection).inner, name, compile),
      }),
      ...(driver.rollbackToSavepoint && {
        rollbackToSavepoint: (connection, name, compile) =>
          driver.rollbackToSavepoint!(state(connection).inner, name, compile),
      }),
      ...(driver.releaseSavepoint && {
        releaseSavepoint: (connection, name, compile) =>
          driver.releaseSavepoint!(state(connection).inner, name, compile),
      }),
    };
  }
}
