import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { type BacktestAnswer, descriptor, workload } from '../../../workloads/backtest/index.js'
import { backtestPairNaive, pairToRows } from '../../../workloads/backtest/naive.js'
import { backtestPairOptimized, createBacktestScratch } from '../../../workloads/backtest/optimized.js'
import { type PairColumns, generatePairs } from '../../../workloads/backtest/pairs.js'
import type { PairResult, StrategyConfig, Trade } from '../../../workloads/backtest/strategy.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

const SMALL = { pairs: 3, days: 30, barsPerDay: 26, formationDays: 5, window: 40 }

async function answerOf(variant: string, seed: number, overrides: ParamValues = SMALL): Promise<BacktestAnswer> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  try {
    return (await inst.answer()) as BacktestAnswer
  } finally {
    await inst.close?.()
  }
}

/**
 * The strategy as the README states it, written plainly: OLS on the formation bars, z over the window,
 * open beyond ±entry, close inside ±exit or on the last bar, costs on entry and exit. Trades only.
 */
function referenceTrades(x: number[], y: number[], c: StrategyConfig): Trade[] {
  const lx = x.map(Math.log)
  const ly = y.map(Math.log)
  const f = c.formationBars
  const mx = lx.slice(0, f).reduce((a, b) => a + b, 0) / f
  const my = ly.slice(0, f).reduce((a, b) => a + b, 0) / f
  let sxy = 0
  let sxx = 0
  for (let t = 0; t < f; t++) {
    sxy += (lx[t]! - mx) * (ly[t]! - my)
    sxx += (lx[t]! - mx) ** 2
  }
  const beta = sxy / sxx
  const alpha = my - beta * mx
  const spread = lx.map((v, t) => ly[t]! - beta * v - alpha)
  const trades: Trade[] = []
  const last = x.length - 1
  let open: { dir: number; bar: number; z: number; qy: number; qx: number; pnl: number } | null = null
  for (let t = Math.max(f, c.window - 1); t <= last; t++) {
    const w = spread.slice(t - c.window + 1, t + 1)
    const m = w.reduce((a, b) => a + b, 0) / c.window
    const sd = Math.sqrt(w.reduce((a, s) => a + (s - m) ** 2, 0) / c.window)
    const z = (spread[t]! - m) / sd
    const cost = (o: { qy: number; qx: number }): number => (c.costBps / 1e4) * (Math.abs(o.qy) * y[t]! + Math.abs(o.qx) * x[t]!)
    if (open) {
      open.pnl += open.qy * (y[t]! - y[t - 1]!) + open.qx * (x[t]! - x[t - 1]!)
      if (Math.abs(z) < c.exitZ || t === last) {
        open.pnl -= cost(open)
        trades.push({
          side: open.dir === 1 ? 'long' : 'short',
          entryBar: open.bar,
          exitBar: t,
          entryZ: Math.round(open.z * 1e6) / 1e6,
          exitZ: Math.round(z * 1e6) / 1e6,
          reason: Math.abs(z) < c.exitZ ? 'signal' : 'end',
          pnl: Math.round(open.pnl * 100) / 100,
        })
        open = null
      }
    } else if (t < last && Math.abs(z) > c.entryZ) {
      const dir = z > 0 ? -1 : 1
      const o = { dir, bar: t, z, qy: (dir * 1e5) / y[t]!, qx: (-dir * beta * 1e5) / x[t]!, pnl: 0 }
      o.pnl = -cost(o)
      open = o
    }
  }
  return trades
}

function configOf(overrides: Partial<StrategyConfig> = {}): StrategyConfig {
  return { formationBars: 130, window: 40, entryZ: 2, exitZ: 0.5, costBps: 1, barsPerDay: 26, ...overrides }
}

function bothVariants(cols: PairColumns, pair: number, config: StrategyConfig): [PairResult, PairResult] {
  return [
    backtestPairNaive(pair, pairToRows(cols, pair), config),
    backtestPairOptimized(cols, pair, config, createBacktestScratch(cols.bars)),
  ]
}

describe('backtest against a planted spread', () => {
  it('shorts the spike and closes when the spread is back, with the PnL the prices imply', () => {
    // log Y = log X + s with s alternating ±0.001 (nearly orthogonal to log X, so β ≈ 1), except one spike.
    const bars = 80
    const x = Array.from({ length: bars }, (_, t) => 100 * Math.exp(0.02 * Math.sin(t / 3)))
    const s = Array.from({ length: bars }, (_, t) => (t === 50 ? 0.02 : t % 2 === 0 ? 0.001 : -0.001))
    const y = x.map((v, t) => v * Math.exp(s[t]!))
    const cols: PairColumns = {
      pairs: 1,
      bars,
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      beta: Float64Array.of(1),
      halfLifeBars: Float64Array.of(1),
    }
    const config = configOf({ formationBars: 20, window: 10, costBps: 0 })
    for (const result of bothVariants(cols, 0, config)) {
      expect(result.hedgeRatio).toBeCloseTo(1, 2)
      expect(result.trades).toHaveLength(1)
      const trade = result.trades[0]!
      expect(trade.side).toBe('short')
      expect(trade.entryBar).toBe(50)
      expect(trade.exitBar).toBeGreaterThan(50)
      expect(trade.reason).toBe('signal')
      // Short spread: −1e5/Y shares of Y, +β·1e5/X shares of X, held from bar 50 to the exit.
      const e = trade.exitBar
      const expected = (-1e5 / y[50]!) * (y[e]! - y[50]!) + ((result.hedgeRatio * 1e5) / x[50]!) * (x[e]! - x[50]!)
      expect(trade.pnl).toBeCloseTo(expected, 1)
      expect(trade.pnl).toBeGreaterThan(0)
      expect(result.pnl).toBe(trade.pnl)
    }
  })

  it('closes an open position on the last bar and says so', () => {
    const bars = 60
    const x = Array.from({ length: bars }, (_, t) => 50 + Math.sin(t))
    const s = Array.from({ length: bars }, (_, t) => (t < 58 ? (t % 2 === 0 ? 0.001 : -0.001) : 0.05))
    const y = x.map((v, t) => 2 * v * Math.exp(s[t]!))
    const cols: PairColumns = {
      pairs: 1,
      bars,
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      beta: Float64Array.of(1),
      halfLifeBars: Float64Array.of(1),
    }
    for (const result of bothVariants(cols, 0, configOf({ formationBars: 20, window: 10 }))) {
      expect(result.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.reason])).toEqual([['short', 58, 59, 'end']])
    }
  })
})

describe('backtest against the reference implementation', () => {
  it('produces the reference trade list on generated pairs, for both variants and several seeds', () => {
    for (const seed of [1, 2, 3, 4]) {
      const cols = generatePairs(seed, { pairs: 2, bars: 40 * 26, barsPerDay: 26 })
      const config = configOf()
      for (let p = 0; p < cols.pairs; p++) {
        const x = Array.from(cols.x.subarray(p * cols.bars, (p + 1) * cols.bars))
        const y = Array.from(cols.y.subarray(p * cols.bars, (p + 1) * cols.bars))
        const expected = referenceTrades(x, y, config)
        expect(expected.length, `seed ${seed} pair ${p} trades`).toBeGreaterThan(3)
        const [naive, optimized] = bothVariants(cols, p, config)
        expect(naive.trades, `naive seed ${seed} pair ${p}`).toEqual(expected)
        expect(optimized.trades, `optimized seed ${seed} pair ${p}`).toEqual(expected)
        const sum = Math.round(expected.reduce((a, t) => a + t.pnl, 0) * 100) / 100
        expect(Math.abs(naive.pnl - sum)).toBeLessThan(0.01 * expected.length)
      }
    }
  })

  it('computes max drawdown and Sharpe from the per-bar PnL the same way in both variants', () => {
    const cols = generatePairs(21, { pairs: 1, bars: 60 * 26, barsPerDay: 26 })
    const [naive, optimized] = bothVariants(cols, 0, configOf())
    expect(optimized).toEqual(naive)
    expect(naive.maxDrawdown).toBeGreaterThan(0)
    expect(Number.isFinite(naive.sharpe)).toBe(true)
  })
})

describe('generatePairs', () => {
  it('generates pairs whose OLS hedge ratio recovers the generating β', () => {
    const cols = generatePairs(3, { pairs: 4, bars: 252 * 20, barsPerDay: 20 })
    for (let p = 0; p < cols.pairs; p++) {
      const [result] = bothVariants(cols, p, configOf({ formationBars: cols.bars - 1, window: 10, barsPerDay: 20 }))
      expect(Math.abs(result.hedgeRatio - cols.beta[p]!), `pair ${p}`).toBeLessThan(0.1)
    }
  })
})

describe('backtest workload', () => {
  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives identical trade lists and answers from both variants for several seeds, another for another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = await answerOf('naive', seed)
      const optimized = await answerOf('optimized', seed)
      expect(naive.totalTrades, `seed ${seed}`).toBeGreaterThan(10)
      expect(optimized.pairs.map((p) => p.trades)).toEqual(naive.pairs.map((p) => p.trades))
      expect(digestAnswer(optimized)).toBe(digestAnswer(naive))
      digests.push(digestAnswer(naive))
    }
    expect(new Set(digests).size).toBe(3)
    expect(digestAnswer(await answerOf('optimized', 2))).toBe(digests[1])
  })

  it('keeps the trade lists identical at the default size (a year of 5-minute bars)', async () => {
    const naive = await answerOf('naive', 42, { pairs: 2 })
    const optimized = await answerOf('optimized', 42, { pairs: 2 })
    expect(naive.totalTrades).toBeGreaterThan(100)
    expect(optimized).toEqual(naive)
  })

  it('iterates every variant', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params(SMALL), seed: 1 })
      expect(inst.opsPerIteration).toBe(1)
      for (let i = 0; i < 3; i++) await inst.iterate()
      await inst.close?.()
    }
  })

  it('gives the same answer with 2 worker threads as in-thread, for both variants', async () => {
    for (const variant of ['naive', 'optimized']) {
      const inst = await workload.create({ variant, params: params({ ...SMALL, workers: 2 }), seed: 5 })
      try {
        await inst.iterate()
        expect(digestAnswer(await inst.answer()), variant).toBe(digestAnswer(await answerOf(variant, 5)))
      } finally {
        await inst.close?.()
      }
    }
  })

  it('refuses inconsistent parameters with a message naming them', async () => {
    await expect(workload.create({ variant: 'naive', params: params({ ...SMALL, entryZ: 1, exitZ: 1.5 }), seed: 1 })).rejects.toThrow(
      /exitZ/,
    )
    await expect(workload.create({ variant: 'naive', params: params({ ...SMALL, formationDays: 30 }), seed: 1 })).rejects.toThrow(
      /formationDays/,
    )
    await expect(workload.create({ variant: 'slow', params: params(SMALL), seed: 1 })).rejects.toThrow(/unknown variant slow/)
  })
})
