/**
 * The leaky variant, Hotpath's planted leak for the heap-diff demo: the cached variant with two
 * realistic bugs. The request id was added to the cache key "for tracing", so no lookup ever hits
 * and every collection adds one QuoteCacheEntry per symbol; and expired entries are skipped but
 * never deleted, so nothing is ever evicted. It runs at the parallel variant's speed while its heap grows.
 */
import { type QuoteCollector, type Clock, QuoteCacheEntry } from './cached.js'
import { collectQuotesParallel } from './parallel.js'
import type { QuoteClient } from './quote-client.js'
import type { Quote } from './quotes.js'

/** An unbounded map of cache entries keyed by symbol and request id. */
export class UnboundedQuoteCache {
  private readonly entries = new Map<string, QuoteCacheEntry>()
  constructor(readonly ttlMs: number) {}

  get size(): number {
    return this.entries.size
  }

  lookup(symbol: string, requestId: string, nowMs: number): Quote | undefined {
    const entry = this.entries.get(`${symbol}#${requestId}`)
    if (!entry || !entry.isFreshAt(nowMs)) return undefined
    entry.recordHit(nowMs)
    return entry.quote
  }

  store(quote: Quote, requestId: string, nowMs: number): void {
    const key = `${quote.symbol}#${requestId}`
    this.entries.set(key, new QuoteCacheEntry(key, quote, requestId, nowMs, nowMs + this.ttlMs))
  }
}

export function createLeakyCollector(client: QuoteClient, concurrency: number, ttlMs: number, clock: Clock): QuoteCollector {
  const cache = new UnboundedQuoteCache(ttlMs)
  let collections = 0
  return {
    collect: (symbols, tick) => collectQuotesLeaky(cache, client, symbols, tick, concurrency, clock, `collect-${++collections}`),
    cacheSize: () => cache.size,
  }
}

/** Same flow as collectQuotesCached, over the unbounded cache. */
export async function collectQuotesLeaky(
  cache: UnboundedQuoteCache,
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
    const cached = cache.lookup(symbol, requestId, nowMs)
    if (cached) quotes[i] = cached
    else {
      missing.push(symbol)
      missingAt.push(i)
    }
  }
  if (missing.length > 0) {
    const fetched = await collectQuotesParallel(client, missing, tick, concurrency)
    const storedAtMs = clock()
    for (let j = 0; j < fetched.length; j++) {
      const quote = fetched[j]!
      cache.store(quote, requestId, storedAtMs)
      quotes[missingAt[j]!] = quote
    }
  }
  return quotes
}
