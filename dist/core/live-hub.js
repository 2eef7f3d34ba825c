/** Delivers live events to the clients connected to this process, by channel ("topic:12", "user:3"). */
export class LiveHub {
    listeners = new Map();
    subscribe(channels, listener) {
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
                if (set?.size === 0)
                    this.listeners.delete(channel);
            }
        };
    }
    dispatch(event) {
        for (const listener of this.listeners.get(event.channel) ?? [])
            listener(event);
    }
    get connectionCount() {
        let n = 0;
        for (const set of this.listeners.values())
            n += set.size;
        return n;
    }
}
