/**
 * symbol-collection: quotes for a few hundred symbols from a local quote server with set latency,
 * fetched one by one, in bounded parallel, through a TTL cache, or through a leaking cache.
 */
import { performance } from 'node:perf_hooks'
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam } from '../types.js'
import { type Clock, type QuoteCollector, createCachedCollector } from './cached.js'
import { createLeakyCollector } from './leaky.js'
import { collectQuotesParallel } from './parallel.js'
import { type QuoteClient, closeQuoteClient, createQuoteClient } from './quote-client.js'
import { type QuoteServer, startQuoteServer } from './quote-server.js'
import { type QuoteSummary, generateSymbols, summarizeQuotes } from './quotes.js'
import { collectQuotesSequential } from './sequential.js'

export const descriptor: WorkloadDescriptor = {
  id: 'symbol-collection',
  title: 'Symbol collection',
  description:
    'Collects quotes for every symbol of a seeded universe from a local HTTP quote server (127.0.0.1 only, ' +
    'in a worker thread) that answers each request after a set latency. Quotes depend only on the seed, ' +
    'the symbol and the tick the client sends, so answers do not depend on timing.',
  operation: 'one collection of the quotes of all symbols',
  variants: [
    {
      id: 'sequential',
      title: 'Sequential',
      description: 'One request after another over one keep-alive connection.',
      role: 'naive',
    },
    {
      id: 'parallel',
      title: 'Bounded parallel',
      description: 'Up to `concurrency` requests in flight over a keep-alive pool of as many connections.',
      role: 'optimized',
    },
    {
      id: 'cached',
      title: 'TTL cache',
      description: 'A per-symbol cache with a time to live in front of the parallel fetcher; only expired symbols are refetched.',
      role: 'optimized',
    },
    {
      id: 'leaky',
      title: 'Leaky cache',
      description:
        'The cached variant with the request id in the cache key and no eviction: it never hits and keeps one ' +
        'QuoteCacheEntry per symbol per collection. The planted leak for heap diffs.',
      role: 'leaky',
    },
  ],
  defaultVariant: 'sequential',
  params: {
    symbols: { type: 'int', description: 'Symbols in the universe, all collected by each operation.', default: 500, min: 10, max: 5000 },
    latencyMs: { type: 'int', description: 'Server-side delay before each quote is answered.', default: 1, min: 0, max: 100, unit: 'ms' },
    concurrency: {
      type: 'int',
      description: 'Requests in flight at most, and connections in the pool (parallel, cached, leaky).',
      default: 32,
      min: 1,
      max: 256,
    },
    ttlMs: {
      type: 'int',
      description: 'How long a cached quote is served before it is refetched (cached, leaky).',
      default: 1000,
      min: 1,
      max: 600_000,
      unit: 'ms',
    },
  },
  unit: 'symbols',
  openLoop: { request: 'one collection of the quotes of all symbols' },
  figureToBeat: '48x parallel, 590x cached (speedup over sequential)',
}

/** A symbol-collection instance, with what the tests need to look inside. */
export interface SymbolCollectionInstance extends WorkloadInstance {
  /** The running quote server (host and port); stopped by close(). */
  readonly server: QuoteServer
  /** Entries held by the cache of the cached and leaky variants; 0 for the others. */
  cacheSize(): number
  /** Stops the client's sockets and the server's worker thread. Idempotent. */
  close(): Promise<void>
}

/** Test hooks; the harness uses the defaults. */
export interface SymbolCollectionOptions {
  /** The clock of the cache TTL (default performance.now). */
  clock?: Clock
}

function createCollector(variant: string, client: QuoteClient, concurrency: number, ttlMs: number, clock: Clock): QuoteCollector {
  switch (variant) {
    case 'sequential':
      return { collect: (symbols, tick) => collectQuotesSequential(client, symbols, tick), cacheSize: () => 0 }
    case 'parallel':
      return { collect: (symbols, tick) => collectQuotesParallel(client, symbols, tick, concurrency), cacheSize: () => 0 }
    case 'cached':
      return createCachedCollector(client, concurrency, ttlMs, clock)
    case 'leaky':
      return createLeakyCollector(client, concurrency, ttlMs, clock)
    default:
      throw new Error(unknownVariantMessage(variant))
  }
}

function unknownVariantMessage(variant: string): string {
  return `unknown variant ${variant} of symbol-collection (expected ${descriptor.variants.map((v) => v.id).join(', ')})`
}

export async function createSymbolCollection(
  ctx: WorkloadContext,
  options: SymbolCollectionOptions = {},
): Promise<SymbolCollectionInstance> {
  const symbolCount = intParam(ctx.params, 'symbols')
  const latencyMs = intParam(ctx.params, 'latencyMs')
  const concurrency = intParam(ctx.params, 'concurrency')
  const ttlMs = intParam(ctx.params, 'ttlMs')
  const clock = options.clock ?? (() => performance.now())
  // Refuse an unknown variant before a worker thread is started for it.
  if (!descriptor.variants.some((v) => v.id === ctx.variant)) throw new Error(unknownVariantMessage(ctx.variant))

  const symbols = generateSymbols(ctx.seed, symbolCount)
  const server = await startQuoteServer({ seed: ctx.seed, symbolCount, latencyMs })
  // The sequential variant never has two requests in flight; one pooled connection says so.
  const client = createQuoteClient(server.host, server.port, ctx.variant === 'sequential' ? 1 : concurrency)
  const collector = createCollector(ctx.variant, client, concurrency, ttlMs, clock)
  // Tick 0 is the answer's; the measured collections ask for ticks 1, 2, … so the quotes move.
  let tick = 0

  return {
    opsPerIteration: 1,
    unitsPerOperation: symbolCount,
    server,
    cacheSize: () => collector.cacheSize(),
    async iterate(): Promise<void> {
      const quotes = await collector.collect(symbols, ++tick)
      if (quotes.length !== symbols.length) throw new Error(`collected ${quotes.length} quotes for ${symbols.length} symbols`)
    },
    async answer(): Promise<QuoteSummary> {
      // A fresh collector (and so an empty cache): the answer is this variant's code on tick 0 only.
      const fresh = createCollector(ctx.variant, client, concurrency, ttlMs, clock)
      return summarizeQuotes(await fresh.collect(symbols, 0))
    },
    async close(): Promise<void> {
      closeQuoteClient(client)
      await server.close()
    },
  }
}

export const workload: WorkloadModule = { descriptor, create: (ctx) => createSymbolCollection(ctx) }
