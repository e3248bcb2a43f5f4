import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { workloadDescriptorSchema } from '../../../core/model/workload.js'
import { canonicalJson, digestAnswer, fnv1a64 } from '../../../workloads/data/digest.js'
import { createRng } from '../../../workloads/data/prng.js'
import { QuoteCacheEntry, TtlQuoteCache, createCachedCollector } from '../../../workloads/symbol-collection/cached.js'
import { createSymbolCollection, descriptor, workload } from '../../../workloads/symbol-collection/index.js'
import { createLeakyCollector } from '../../../workloads/symbol-collection/leaky.js'
import { collectQuotesParallel } from '../../../workloads/symbol-collection/parallel.js'
import { type QuoteClient, closeQuoteClient, createQuoteClient, fetchQuote } from '../../../workloads/symbol-collection/quote-client.js'
import { type QuoteServer, startQuoteServer } from '../../../workloads/symbol-collection/quote-server.js'
import { type Quote, generateSymbols, symbolKey } from '../../../workloads/symbol-collection/quotes.js'
import { collectQuotesSequential } from '../../../workloads/symbol-collection/sequential.js'

/** The quote function as the README specifies it, written out again without quotes.ts. */
function referenceQuote(seed: number, symbol: string, tick: number): Quote {
  let key = 0
  let weight = 1
  for (const ch of symbol) {
    key += (ch.charCodeAt(0) - 64) * weight
    weight *= 27
  }
  const symbolRng = createRng(seed).fork(key)
  const reference = symbolRng.int(500, 50_000)
  const r = symbolRng.fork(tick)
  const band = Math.floor(reference / 50)
  const mid = reference + r.int(-band, band)
  const half = r.int(1, 1 + Math.floor(reference / 5000))
  const bid = mid - half
  const ask = mid + half
  const last = r.int(bid, ask)
  const bidSize = 100 * r.int(1, 50)
  const askSize = 100 * r.int(1, 50)
  return { symbol, tick, bidCents: bid, askCents: ask, lastCents: last, bidSize, askSize }
}

function referenceAnswer(seed: number, symbols: readonly string[]): unknown {
  const quotes = [...symbols].sort().map((s) => referenceQuote(seed, s, 0))
  const total = (f: (q: Quote) => number): number => quotes.reduce((sum, q) => sum + f(q), 0)
  return {
    symbols: quotes.length,
    totalBidCents: total((q) => q.bidCents),
    totalAskCents: total((q) => q.askCents),
    totalLastCents: total((q) => q.lastCents),
    totalBidSize: total((q) => q.bidSize),
    totalAskSize: total((q) => q.askSize),
    quotesDigest: fnv1a64(canonicalJson(quotes)),
  }
}

/** One plain request on its own connection, bypassing the workload's client. */
function request(port: number, path: string, method = 'GET'): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }))
    })
    req.on('error', reject)
    req.end()
  })
}

interface ServerStats {
  quoteRequests: number
  maxInFlight: number
}
const resetStats = async (port: number): Promise<void> => void (await request(port, '/stats/reset', 'POST'))
const getStats = async (port: number): Promise<ServerStats> => (await request(port, '/stats')).body as ServerStats

function connectionRefused(port: number): Promise<boolean> {
  return request(port, '/stats').then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED',
  )
}

const SEED = 7
const SYMBOLS = 40

describe('quote universe', () => {
  it('generates distinct 3-5 letter tickers, the same for the same seed', () => {
    const a = generateSymbols(SEED, 5000)
    expect(a).toHaveLength(5000)
    expect(new Set(a).size).toBe(5000)
    for (const s of a) expect(s).toMatch(/^[A-Z]{3,5}$/)
    expect(generateSymbols(SEED, 5000)).toEqual(a)
    expect(generateSymbols(SEED + 1, 50)).not.toEqual(a.slice(0, 50))
  })

  it('gives every ticker its own PRNG stream and refuses non-tickers', () => {
    const symbols = generateSymbols(SEED, 5000)
    expect(new Set(symbols.map(symbolKey)).size).toBe(symbols.length)
    expect(symbolKey('A')).toBe(1)
    expect(symbolKey('BA')).toBe(2 + 27)
    expect(() => symbolKey('abc')).toThrow(/ticker/)
    expect(() => symbolKey('TOOLONG')).toThrow(/ticker/)
  })
})

describe('quote server', () => {
  let server: QuoteServer
  let client: QuoteClient
  const symbols = generateSymbols(SEED, SYMBOLS)

  beforeAll(async () => {
    server = await startQuoteServer({ seed: SEED, symbolCount: SYMBOLS, latencyMs: 0 })
    client = createQuoteClient(server.host, server.port, 8)
  })
  afterAll(async () => {
    closeQuoteClient(client)
    await server.close()
  })

  it('binds 127.0.0.1 only', () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.port).toBeGreaterThan(0)
    if (!existsSync('/proc/net/tcp')) return
    // The kernel's own table of listening sockets (state 0A); addresses are little-endian hex.
    const portHex = server.port.toString(16).toUpperCase().padStart(4, '0')
    const listeners = (file: string): string[] =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .slice(1)
            .map((line) => line.trim().split(/\s+/))
            .filter((cols) => cols[1]?.endsWith(`:${portHex}`) && cols[3] === '0A')
            .map((cols) => cols[1]!.split(':')[0]!)
        : []
    expect(listeners('/proc/net/tcp')).toEqual(['0100007F'])
    expect(listeners('/proc/net/tcp6')).toEqual([])
  })

  it('answers with the deterministic quote function of (seed, symbol, tick)', async () => {
    for (const tick of [0, 1, 12_345]) {
      for (const symbol of symbols) {
        const { status, body } = await request(server.port, `/quote?symbol=${symbol}&tick=${tick}`)
        expect(status).toBe(200)
        expect(body).toEqual(referenceQuote(SEED, symbol, tick))
      }
    }
    const q = referenceQuote(SEED, symbols[0]!, 3)
    expect(q.bidCents).toBeLessThan(q.askCents)
    expect(q.lastCents).toBeGreaterThanOrEqual(q.bidCents)
    expect(q.lastCents).toBeLessThanOrEqual(q.askCents)
    expect(referenceQuote(SEED, symbols[0]!, 4)).not.toEqual({ ...q, tick: 4 })
  })

  it('refuses unknown symbols and bad ticks, and the client reports it', async () => {
    expect((await request(server.port, '/quote?symbol=ZZZZZZ&tick=0')).status).toBe(404)
    expect((await request(server.port, `/quote?symbol=${symbols[0]!}&tick=-1`)).status).toBe(400)
    expect((await request(server.port, `/quote?symbol=${symbols[0]!}`)).status).toBe(400)
    const unknown = symbols.includes('QQQQQ') ? 'QQQQ' : 'QQQQQ'
    await expect(fetchQuote(client, unknown, 0)).rejects.toThrow(/404/)
    await expect(collectQuotesParallel(client, [...symbols, unknown], 0, 4)).rejects.toThrow(/404/)
  })

  it('fetches every symbol in order, sequentially and in parallel', async () => {
    const expected = symbols.map((s) => referenceQuote(SEED, s, 5))
    expect(await collectQuotesSequential(client, symbols, 5)).toEqual(expected)
    expect(await collectQuotesParallel(client, symbols, 5, 8)).toEqual(expected)
  })
})

describe('concurrency against a slow server', () => {
  let server: QuoteServer
  const symbols = generateSymbols(SEED, SYMBOLS)
  beforeAll(async () => {
    server = await startQuoteServer({ seed: SEED, symbolCount: SYMBOLS, latencyMs: 20 })
  })
  afterAll(() => server.close())

  it('keeps at most `concurrency` requests in flight; sequential keeps one', async () => {
    // A pool wider than the lanes, so the count below is the lanes' doing and not the agent's.
    const client = createQuoteClient(server.host, server.port, 64)
    try {
      await resetStats(server.port)
      await collectQuotesParallel(client, symbols, 1, 5)
      // With every quote held 20 ms, five lanes overlap: the bound is reached and never passed.
      expect(await getStats(server.port)).toMatchObject({ quoteRequests: SYMBOLS, maxInFlight: 5 })
      await resetStats(server.port)
      await collectQuotesSequential(client, symbols.slice(0, 5), 1)
      expect(await getStats(server.port)).toMatchObject({ quoteRequests: 5, maxInFlight: 1 })
    } finally {
      closeQuoteClient(client)
    }
  })
})

describe('caches', () => {
  let server: QuoteServer
  let client: QuoteClient
  const symbols = generateSymbols(SEED, SYMBOLS)

  beforeAll(async () => {
    server = await startQuoteServer({ seed: SEED, symbolCount: SYMBOLS, latencyMs: 0 })
    client = createQuoteClient(server.host, server.port, 8)
  })
  afterAll(async () => {
    closeQuoteClient(client)
    await server.close()
  })

  it('TtlQuoteCache serves an entry until its TTL has passed, then drops it', () => {
    const cache = new TtlQuoteCache(100)
    const quote = referenceQuote(SEED, 'ABC', 1)
    cache.store(quote, 'collect-1', 1000)
    expect(cache.lookup('ABC', 1000)).toBe(quote)
    expect(cache.lookup('ABC', 1099)).toBe(quote)
    expect(cache.lookup('XYZ', 1000)).toBeUndefined()
    expect(cache.lookup('ABC', 1100)).toBeUndefined()
    expect(cache.size).toBe(0)
    expect(() => new TtlQuoteCache(0)).toThrow(/positive/)
  })

  it('the cached collector refetches only after the TTL, by the injected clock', async () => {
    let now = 0
    const collector = createCachedCollector(client, 8, 1000, () => now)
    await resetStats(server.port)

    const first = await collector.collect(symbols, 1)
    expect(first).toEqual(symbols.map((s) => referenceQuote(SEED, s, 1)))
    expect((await getStats(server.port)).quoteRequests).toBe(SYMBOLS)

    now = 999
    const second = await collector.collect(symbols, 2)
    // Served from the cache: still the tick-1 quotes, and no request reached the server.
    expect(second).toEqual(first)
    expect((await getStats(server.port)).quoteRequests).toBe(SYMBOLS)

    now = 1000
    const third = await collector.collect(symbols, 3)
    expect(third).toEqual(symbols.map((s) => referenceQuote(SEED, s, 3)))
    expect((await getStats(server.port)).quoteRequests).toBe(2 * SYMBOLS)
    expect(collector.cacheSize()).toBe(SYMBOLS)
  })

  it('the leaky cache grows by one entry per symbol per collection while the cached one stays bounded', async () => {
    let now = 0
    const clock = (): number => now
    const cached = createCachedCollector(client, 8, 1000, clock)
    const leaky = createLeakyCollector(client, 8, 1000, clock)
    const sizes: { cached: number; leaky: number }[] = []
    await resetStats(server.port)
    for (let i = 1; i <= 4; i++) {
      // Half the collections within the TTL, half after it expired: neither keeps the leaky cache small.
      now += 600
      const a = await cached.collect(symbols, i)
      const b = await leaky.collect(symbols, i)
      expect(b.map((q) => q.tick)).toEqual(symbols.map(() => i))
      expect(a).toHaveLength(SYMBOLS)
      sizes.push({ cached: cached.cacheSize(), leaky: leaky.cacheSize() })
    }
    expect(sizes).toEqual([1, 2, 3, 4].map((i) => ({ cached: SYMBOLS, leaky: i * SYMBOLS })))
    // The leaky cache never hits: every collection goes to the server (4 × SYMBOLS); the cached one
    // fetched at t=600 and t=1800 only.
    expect((await getStats(server.port)).quoteRequests).toBe(4 * SYMBOLS + 2 * SYMBOLS)
  })

  it('QuoteCacheEntry is fresh strictly before its expiry and records hits', () => {
    const quote = referenceQuote(SEED, 'ABC', 4)
    const entry = new QuoteCacheEntry('ABC#collect-1', quote, 'collect-1', 10, 20)
    expect(entry).toMatchObject({ symbol: 'ABC', tick: 4, hits: 0, lastHitAtMs: -1 })
    expect(entry.isFreshAt(19)).toBe(true)
    expect(entry.isFreshAt(20)).toBe(false)
    entry.recordHit(15)
    entry.recordHit(17)
    expect(entry).toMatchObject({ hits: 2, lastHitAtMs: 17 })
  })
})

describe('symbol-collection workload', () => {
  const params = { symbols: 60, latencyMs: 1, concurrency: 8, ttlMs: 60_000 }

  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(workloadDescriptorSchema.parse(descriptor)).toEqual(descriptor)
    expect(workload.descriptor).toBe(descriptor)
    const naive = descriptor.variants.find((v) => v.id === descriptor.defaultVariant)
    expect(naive?.role).toBe('naive')
    expect(descriptor.variants.map((v) => [v.id, v.role])).toEqual([
      ['sequential', 'naive'],
      ['parallel', 'optimized'],
      ['cached', 'optimized'],
      ['leaky', 'leaky'],
    ])
  })

  it('gives the same answer in every variant, equal to the reference, whatever ran before', async () => {
    const symbols = generateSymbols(SEED, params.symbols)
    const expected = digestAnswer(referenceAnswer(SEED, symbols))
    const cacheSizes: Record<string, number> = {}
    for (const variant of descriptor.variants.map((v) => v.id)) {
      const instance = await createSymbolCollection({ variant, params, seed: SEED })
      try {
        for (let i = 0; i < 3; i++) await instance.iterate()
        cacheSizes[variant] = instance.cacheSize()
        const answer = await instance.answer()
        expect(answer).toEqual(referenceAnswer(SEED, symbols))
        expect(digestAnswer(answer)).toBe(expected)
      } finally {
        await instance.close?.()
      }
    }
    expect(cacheSizes).toEqual({ sequential: 0, parallel: 0, cached: params.symbols, leaky: 3 * params.symbols })

    const other = await workload.create({ variant: 'parallel', params, seed: SEED + 1 })
    try {
      expect(digestAnswer(await other.answer())).not.toBe(expected)
    } finally {
      await other.close?.()
    }
  })

  it('refuses an unknown variant', async () => {
    await expect(createSymbolCollection({ variant: 'psychic', params, seed: SEED })).rejects.toThrow(/unknown variant psychic/)
  })

  it('close() stops the server: its port refuses connections afterwards', async () => {
    const instance = await createSymbolCollection({ variant: 'cached', params, seed: SEED })
    await instance.iterate()
    const port = instance.server.port
    expect(await connectionRefused(port)).toBe(false)
    await instance.close()
    expect(await connectionRefused(port)).toBe(true)
    await instance.close()
  })

  it('leaves no handle behind: a process that closes the workload exits by itself, one that does not, does not', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx')
    const indexUrl = new URL('../../../workloads/symbol-collection/index.ts', import.meta.url).href
    const script = (close: boolean): string => `
      const { createSymbolCollection } = await import(${JSON.stringify(indexUrl)})
      const instance = await createSymbolCollection({ variant: 'parallel', params: ${JSON.stringify(params)}, seed: 1 })
      await instance.iterate()
      await instance.answer()
      ${close ? 'await instance.close()' : ''}
      console.log('done')
    `
    const run = (close: boolean, waitMs: number): Promise<{ printed: string; exited: boolean }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script(close)], {
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let printed = ''
        let timer: NodeJS.Timeout | undefined
        child.stdout.setEncoding('utf8')
        child.stdout.on('data', (chunk: string) => {
          printed += chunk
          // From the moment the script is done, the process has waitMs to exit on its own.
          if (printed.includes('done')) timer ??= setTimeout(() => child.kill('SIGKILL'), waitMs)
        })
        child.on('error', reject)
        child.on('exit', (code, signal) => {
          clearTimeout(timer)
          resolve({ printed, exited: code === 0 && signal === null })
        })
      })
    const [closed, leftOpen] = await Promise.all([run(true, 10_000), run(false, 1500)])
    expect(closed).toEqual({ printed: 'done\n', exited: true })
    expect(leftOpen).toEqual({ printed: 'done\n', exited: false })
  })
})
