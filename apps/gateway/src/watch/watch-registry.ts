import { ErrorCode, KvException } from '@app/contracts';

export interface WatchLimits {
  perPrincipal: number;
  perGateway: number;
}

/** What the registry can end: every open watch, when the gateway stops. */
export interface OpenWatch {
  shutDown(): void;
}

/** The watches open on this gateway, counted per principal and in all, within their limits (KV_WATCH_MAX_*). */
export class WatchRegistry {
  private readonly byPrincipal = new Map<string, number>();
  private readonly open = new Set<OpenWatch>();
  private total = 0;
  private stopping = false;

  constructor(private readonly limits: WatchLimits) {}

  get size(): number {
    return this.total;
  }

  /** Counts a watch of `principalId`, or refuses it (429; 503 once stopping); the returned function uncounts it, once. */
  acquire(principalId: string): () => void {
    if (this.stopping) throw new KvException(ErrorCode.SERVICE_UNAVAILABLE, 'this gateway is stopping: watch through another replica');
    const held = this.byPrincipal.get(principalId) ?? 0;
    if (this.total >= this.limits.perGateway) {
      throw new KvException(
        ErrorCode.WATCH_LIMIT_REACHED,
        `this gateway holds its most watches (${this.limits.perGateway}); try another replica or later`,
      );
    }
    if (held >= this.limits.perPrincipal) {
      throw new KvException(ErrorCode.WATCH_LIMIT_REACHED, `at most ${this.limits.perPrincipal} open watches a principal on one gateway`);
    }
    this.byPrincipal.set(principalId, held + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.byPrincipal.get(principalId) ?? 1) - 1;
      if (left === 0) this.byPrincipal.delete(principalId);
      else this.byPrincipal.set(principalId, left);
    };
  }

  /** Adds an open watch to those ended at shutdown, until it is untracked. */
  track(watch: OpenWatch): void {
    this.open.add(watch);
  }

  untrack(watch: OpenWatch): void {
    this.open.delete(watch);
  }

  /** Ends every open watch and refuses new ones: the gateway is stopping. */
  shutDownAll(): void {
    this.stopping = true;
    for (const watch of [...this.open]) watch.shutDown();
  }
}
