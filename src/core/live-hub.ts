export interface LiveEvent {
  id: number;
  channel: string;
  type: string;
  data: unknown;
}

type Listener = (event: LiveEvent) => void;

/** Delivers live events to the clients connected to this process, by channel ("topic:12", "user:3"). */
export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly streams = new Set<() => void>();

  /**
   * An open event stream, ended by `endStreams` when the app closes: a stream never ends by itself,
   * and the shutdown waits for every request that is still running. Returns the way to forget it.
   */
  openStream(end: () => void): () => void {
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  endStreams(): void {
    for (const end of [...this.streams]) end();
  }

  subscribe(channels: string[], listener: Listener): () => void {
    for (const channel of channels) {
      let set = this.listeners.get(channel);
      if (!set) {
        set = new Set();
        this.listeners.set(channel, set);
      }
      set.add(listener);
    }
    return () => {
      for (const channel of channels) {
        const set = this.listeners.get(channel);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(channel);
      }
    };
  }

  dispatch(event: LiveEvent): void {
    for (const listener of this.listeners.get(event.channel) ?? []) listener(event);
  }

  get connectionCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
