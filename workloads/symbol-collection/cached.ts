/**
 * The cached variant: a TTL cache keyed by symbol in front of the parallel fetcher. The first
 * collection fills it; later ones are served from memory until entries expire, then refetched.
 * The clock is injected so tests can step time instead of sleeping.
 */
import { collectQuotesParallel } from './parallel.js'
import type { QuoteClient } from './quote-client.js'
import type { Quote } from './quotes.js'

/** Milliseconds on a monotonic clock (performance.now() in production, a counter in tests). */
export type Clock = () => number

/**
 * One cached quote with its bookkeeping. The same class backs the cached and the leaky variants, so
 * a heap diff compares like with like: a steady count in one, a count that climbs in the other.
 */
export class QuoteCacheEntry {
  readonly symbol: string
  /** The tick the quote was fetched at; later ticks may be served this quote until it expires. */
  readonly tick: number
  /** Lookups this entry answered. */
  hits = 0
  /** When it last answered a lookup (ms on the cache's clock), or -1 if never. */
  lastHitAtMs = -1

  constructor(
    /** The cache key the entry is stored under. */
    readonly key: string,
    readonly quote: Quote,
    /** The collection that fetched it, kept for tracing where a stale quote came from. */
    readonly requestId: string,
    readonly fetchedAtMs: number,
    readonly expiresAtMs: number,
  ) {
    this.symbol = quote.symbol
    this.tick = quote.tick
  }

  isFreshAt(nowMs: number): boolean {
    return nowMs < this.expiresAtMs
  }

  recordHit(nowMs: number): void {
    this.hits++
    this.lastHitAtMs = nowMs
  }
}

/** A TTL cache with at most one entry per symbol: a refresh replaces the entry, an expired one is dropped. */
export class TtlQuoteCache {
  private readonly entries = new Map<string, QuoteCacheEntry>()
  constructor(readonly ttlMs: number) {
    if (!(ttlMs > 0)) throw new Error(`ttlMs must be positive, got ${ttlMs}`)
  }

  get size(): number {
    return this.entries.size
  }

  /** The quote cached for `symbol` if it is still fresh at `nowMs`; an expired entry is removed. */
  lookup(symbol: string, nowMs: number): Quote | undefined {
    const entry = this.entries.get(symbol)
    if (!entry) return undefined
    if (!entry.isFreshAt(nowMs)) {
      this.entries.delete(symbol)
      return undefined
    }
    entry.recordHit(nowMs)
    return entry.quote
  }

  store(quote: Quote, requestId: string, nowMs: number): void {
    this.entries.set(quote.symbol, new QuoteCacheEntry(quote.symbol, quote, requestId, nowMs, nowMs + this.ttlMs))
  }
}

/** Collects the full quote set once per `collect` call; what index.ts runs for every variant. */
export interface QuoteCollector {
  collect(symbols: readonly string[], tick: number): Promise<Quote[]>
  /** Cache entries currently held (0 for the variants without a cache). */
  cacheSize(): number
}

export function createCachedCollector(client: QuoteClient, concurrency: number, ttlMs: number, clock: Clock): QuoteCollector {
  const cache = new TtlQuoteCache(ttlMs)
  let collections = 0
  return {
    collect: (symbols, tick) => collectQuotesCached(cache, client, symbols, tick, concurrency, clock, `collect-${++collections}`),
    cacheSize: () => cache.size,
  }
}

/** Serves fresh quotes from `cache` and fetches the rest in parallel; result in input order. */
export async function collectQuotesCached(
  cache: TtlQuoteCache,
  client: QuoteClient,
  symbols: readonly string[],
  tick: number,
  concurrency: number,
  clock: Clock,
  requestId: string,
): Promise<Quote[]> {
  const nowMs = clock()
  const quotes = new Array<Quote>(symbols.length)
  const missing: string[] = []
  const missingAt: number[] = []
  for (let i = 0; i < symbols.length; i++) {
    const symbol = symbols[i]!
    const cached = cache.lookup(symbol, nowMs)
    if (cached) quotes[i] = cached
    else {
      missing.push(symbol)
      missingAt.push(i)
    }
  }
  if (missing.length > 0) {
    const fetched = await collectQuotesParallel(client, missing, tick, concurrency)
    // The TTL counts from when the quote arrived, not from when the collection began.
    const storedAtMs = clock()
    for (let j = 0; j < fetched.length; j++) {
      const quote = fetched[j]!
      cache.store(quote, requestId, storedAtMs)
      quotes[missingAt[j]!] = quote
    }
  }
  return quotes
}
