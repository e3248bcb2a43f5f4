import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { TRADING_DAYS_PER_YEAR, generateBars, tickerFor } from '../../../workloads/data/bars.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { descriptor, workload } from '../../../workloads/market-data/index.js'
import { type DailyBar, barsToRows, computeIndicatorsNaive, summarizeIndicatorsNaive } from '../../../workloads/market-data/naive.js'
import { RESYNC_EVERY, computeIndicatorsInto, createIndicatorColumns, summarizeColumns } from '../../../workloads/market-data/optimized.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

async function answerOf(variant: string, seed: number, overrides: ParamValues = {}): Promise<unknown> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  try {
    return await inst.answer()
  } finally {
    await inst.close?.()
  }
}

/** Reference indicators by their textbook definitions, one bar at a time, on plain number arrays. */
function referenceIndicators(close: number[]): Record<'ret' | 'sma' | 'ema' | 'vol' | 'rsi' | 'bbUpper' | 'bbLower', Array<number | null>> {
  const n = close.length
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
  const ret = close.map((c, t) => (t === 0 ? null : c / close[t - 1]! - 1))
  const sma = close.map((_, t) => (t < 19 ? null : mean(close.slice(t - 19, t + 1))))
  const ema: Array<number | null> = []
  const alpha = 2 / 21
  for (let t = 0; t < n; t++) ema.push(t < 19 ? null : t === 19 ? sma[19]! : alpha * close[t]! + (1 - alpha) * ema[t - 1]!)
  const vol = close.map((_, t) => {
    if (t < 20) return null
    const rs = ret.slice(t - 19, t + 1) as number[]
    const m = mean(rs)
    return Math.sqrt(rs.reduce((a, r) => a + (r - m) ** 2, 0) / 19)
  })
  const rsi: Array<number | null> = []
  let avgGain = 0
  let avgLoss = 0
  for (let t = 0; t < n; t++) {
    if (t >= 1) {
      const ch = close[t]! - close[t - 1]!
      if (t <= 14) {
        avgGain += Math.max(ch, 0) / 14
        avgLoss += Math.max(-ch, 0) / 14
      } else {
        avgGain = (13 * avgGain + Math.max(ch, 0)) / 14
        avgLoss = (13 * avgLoss + Math.max(-ch, 0)) / 14
      }
    }
    rsi.push(t < 14 ? null : avgLoss === 0 ? (avgGain === 0 ? 50 : 100) : 100 - 100 / (1 + avgGain / avgLoss))
  }
  const sd = close.map((_, t) => {
    if (t < 19) return null
    const w = close.slice(t - 19, t + 1)
    const m = mean(w)
    return Math.sqrt(w.reduce((a, c) => a + (c - m) ** 2, 0) / 20)
  })
  return {
    ret,
    sma,
    ema,
    vol,
    rsi,
    bbUpper: sma.map((s, t) => (s === null ? null : s + 2 * sd[t]!)),
    bbLower: sma.map((s, t) => (s === null ? null : s - 2 * sd[t]!)),
  }
}

const NAMES = ['ret', 'sma', 'ema', 'vol', 'rsi', 'bbUpper', 'bbLower'] as const

/** Both variants' indicators for a close series, as arrays with null where undefined. */
function bothVariants(close: number[]): Array<Record<(typeof NAMES)[number], Array<number | null>>> {
  const rows: DailyBar[] = close.map((c, day) => ({ day, open: c, high: c, low: c, close: c, volume: 1 }))
  const naiveRows = computeIndicatorsNaive(rows)
  const naive = Object.fromEntries(NAMES.map((k) => [k, naiveRows.map((r) => r[k])])) as Record<
    (typeof NAMES)[number],
    Array<number | null>
  >
  const cols = createIndicatorColumns(close.length)
  computeIndicatorsInto(Float64Array.from(close), 0, close.length, cols)
  const optimized = Object.fromEntries(NAMES.map((k) => [k, Array.from(cols[k], (v) => (Number.isNaN(v) ? null : v))])) as Record<
    (typeof NAMES)[number],
    Array<number | null>
  >
  return [naive, optimized]
}

function expectClose(actual: Array<number | null>, expected: Array<number | null>, label: string): void {
  expect(actual.length, label).toBe(expected.length)
  for (let t = 0; t < expected.length; t++) {
    const e = expected[t]!
    const a = actual[t]!
    if (e === null) {
      expect(a, `${label}[${t}]`).toBeNull()
      continue
    }
    expect(a, `${label}[${t}]`).not.toBeNull()
    expect(Math.abs(a - e), `${label}[${t}]: ${a} vs ${e}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)))
  }
}

describe('market-data indicators against known values', () => {
  it('gets SMA, EMA, Bollinger and RSI of a linear series 1..30 right', () => {
    const close = Array.from({ length: 30 }, (_, t) => t + 1)
    for (const v of bothVariants(close)) {
      expect(v.sma[18]).toBeNull()
      expect(v.sma[19]).toBeCloseTo(10.5, 12)
      expect(v.sma[29]).toBeCloseTo(20.5, 12)
      // The EMA starts at the first SMA; one step of α = 2/21 on close 21 gives 2 + 9.5 = 11.5.
      expect(v.ema[19]).toBeCloseTo(10.5, 12)
      expect(v.ema[20]).toBeCloseTo(11.5, 12)
      // Population sd of 20 consecutive integers: √((20² − 1)/12).
      const sd = Math.sqrt(399 / 12)
      expect(v.bbUpper[19]).toBeCloseTo(10.5 + 2 * sd, 10)
      expect(v.bbLower[25]).toBeCloseTo(16.5 - 2 * sd, 10)
      // Only gains: RSI is 100 from bar 14 on.
      expect(v.rsi[13]).toBeNull()
      expect(v.rsi[14]).toBe(100)
      expect(v.rsi[29]).toBe(100)
      expect(v.ret[1]).toBeCloseTo(1, 12)
      expect(v.vol[19]).toBeNull()
    }
  })

  it('gets Wilder RSI of an alternating +1 / −0.5 series right', () => {
    const close = [10]
    for (let k = 0; k < 20; k++) close.push(close[close.length - 1]! + (k % 2 === 0 ? 1 : -0.5))
    // First 14 changes: seven gains of 1, seven losses of 0.5 → RS = 2 → RSI = 66.67.
    // Bar 15 adds a gain of 1: avgGain = (0.5·13 + 1)/14, avgLoss = 0.25·13/14.
    const rs15 = (0.5 * 13 + 1) / (0.25 * 13)
    for (const v of bothVariants(close)) {
      expect(v.rsi[14]).toBeCloseTo(200 / 3, 10)
      expect(v.rsi[15]).toBeCloseTo(100 - 100 / (1 + rs15), 10)
    }
  })

  it('matches the textbook definitions bar by bar on 3 years of generated closes', () => {
    const bars = generateBars(11, { symbols: 2, days: 3 * TRADING_DAYS_PER_YEAR })
    // Long enough to cross many resyncs of the sliding sums.
    expect(bars.days).toBeGreaterThan(5 * RESYNC_EVERY)
    for (let s = 0; s < 2; s++) {
      const close = Array.from(bars.close.subarray(s * bars.days, (s + 1) * bars.days))
      const ref = referenceIndicators(close)
      const [naive, optimized] = bothVariants(close)
      for (const name of NAMES) {
        expectClose(naive![name], ref[name], `naive ${name}`)
        expectClose(optimized![name], ref[name], `optimized ${name}`)
      }
    }
  })
})

describe('generateBars', () => {
  it('produces consistent OHLC bars whose realized volatility matches the generating σ', () => {
    const bars = generateBars(5, { symbols: 4, days: 10 * TRADING_DAYS_PER_YEAR })
    for (let s = 0; s < bars.symbols; s++) {
      const logReturns: number[] = []
      for (let t = 0; t < bars.days; t++) {
        const i = s * bars.days + t
        expect(bars.high[i]!).toBeGreaterThanOrEqual(Math.max(bars.open[i]!, bars.close[i]!))
        expect(bars.low[i]!).toBeLessThanOrEqual(Math.min(bars.open[i]!, bars.close[i]!))
        expect(bars.low[i]!).toBeGreaterThan(0)
        expect(Number.isInteger(bars.volume[i]!)).toBe(true)
        if (t > 0) logReturns.push(Math.log(bars.close[i]! / bars.close[i - 1]!))
      }
      const m = logReturns.reduce((a, b) => a + b, 0) / logReturns.length
      const sd = Math.sqrt(logReturns.reduce((a, r) => a + (r - m) ** 2, 0) / (logReturns.length - 1))
      const realized = sd * Math.sqrt(TRADING_DAYS_PER_YEAR)
      // 2,519 returns: the sample σ is within ~1.5% (1 s.e.) of the true one; cents rounding adds a little.
      expect(Math.abs(realized / bars.volatility[s]! - 1)).toBeLessThan(0.08)
    }
  })

  it('gives a symbol the same bars however many symbols are generated, and shares memory when asked', () => {
    const small = generateBars(9, { symbols: 2, days: 50 })
    const large = generateBars(9, { symbols: 5, days: 50, shared: true })
    expect(Array.from(large.close.subarray(50, 100))).toEqual(Array.from(small.close.subarray(50, 100)))
    expect(large.close.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(large.tickers.slice(0, 3)).toEqual(['AAA', 'AAB', 'AAC'])
    expect(tickerFor(26 ** 3)).toBe('BAAA')
  })
})

describe('market-data workload', () => {
  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer from both variants for several seeds, and another for another seed', async () => {
    const small = { symbols: 6, years: 2 }
    const digests = new Map<number, string>()
    for (const seed of [1, 2, 3]) {
      const naive = digestAnswer(await answerOf('naive', seed, small))
      const optimized = digestAnswer(await answerOf('optimized', seed, small))
      expect(optimized, `seed ${seed}`).toBe(naive)
      digests.set(seed, naive)
    }
    expect(new Set(digests.values()).size).toBe(3)
    expect(digestAnswer(await answerOf('optimized', 1, small))).toBe(digests.get(1))
  })

  it('rounds an SMA of cent prices above 1,000 the same in both variants (it is an exact multiple of 0.0005)', () => {
    // Seed 102, symbol 12 ends at an SMA of exactly 1595.0225: 7-significant-digit rounding split the variants there.
    const bars = generateBars(102, { symbols: 13, days: 10 * TRADING_DAYS_PER_YEAR })
    const cols = createIndicatorColumns(bars.days)
    computeIndicatorsInto(bars.close, 12 * bars.days, bars.days, cols)
    const optimized = summarizeColumns('AAM', cols, bars.days)
    const naive = summarizeIndicatorsNaive('AAM', computeIndicatorsNaive(barsToRows(bars, 12)))
    expect(naive.last.sma).toBe(1595.0225)
    expect(optimized).toEqual(naive)
  })

  it('reports one summary per symbol with the defined counts the windows imply', async () => {
    const answer = (await answerOf('optimized', 4, { symbols: 3, years: 1 })) as {
      days: number
      symbols: Array<{ ticker: string; defined: Record<string, number>; last: Record<string, number | null> }>
    }
    expect(answer.days).toBe(252)
    expect(answer.symbols.map((s) => s.ticker)).toEqual(['AAA', 'AAB', 'AAC'])
    for (const s of answer.symbols) {
      expect(s.defined).toEqual({ ret: 251, sma: 233, ema: 233, vol: 232, rsi: 238, bbUpper: 233, bbLower: 233 })
      expect(s.last.rsi!).toBeGreaterThanOrEqual(0)
      expect(s.last.rsi!).toBeLessThanOrEqual(100)
      expect(s.last.bbUpper!).toBeGreaterThan(s.last.bbLower!)
    }
  })

  it('iterates every variant', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params({ symbols: 3 }), seed: 1 })
      expect(inst.opsPerIteration).toBe(1)
      for (let i = 0; i < 3; i++) await inst.iterate()
      await inst.close?.()
    }
  })

  it('gives the same answer with 2 worker threads as in-thread, for both variants', async () => {
    const small = { symbols: 5, years: 1 }
    for (const variant of ['naive', 'optimized']) {
      const inst = await workload.create({ variant, params: params({ ...small, workers: 2 }), seed: 7 })
      try {
        await inst.iterate()
        expect(digestAnswer(await inst.answer()), variant).toBe(digestAnswer(await answerOf(variant, 7, small)))
      } finally {
        await inst.close?.()
      }
    }
  })

  it('refuses an unknown variant', async () => {
    await expect(workload.create({ variant: 'fast', params: params(), seed: 1 })).rejects.toThrow(/unknown variant fast/)
  })
})
