/** What bench/runner.ts and the server process it forks (bench/server.mjs) say to each other. */
export type ServerSpec =
  | { kind: "app"; dataDir: string; databaseUrl?: string; databaseSchema?: string }
  | { kind: "static"; pages: StaticPage[] };

export interface StaticPage {
  path: string;
  contentType: string;
  body: Uint8Array;
}

/** From the parent: {type: "usage"} (answered by a usage message) or {type: "stop"}. */
export type ServerMessage = { type: "ready"; port: number } | { type: "usage"; cpuMicros: number; maxRssKb: number };
