/**
 * The optimized portfolio analytics: history, prices and every intermediate in Float64Arrays sized once,
 * means and demeaned windows computed once per call, the covariance's upper triangle only (mirrored),
 * and the top contributors picked by a scan. `analyze()` allocates nothing. Sums run in the same order
 * as the naive variant's, so results match it bit for bit.
 */
import { type PortfolioInput, type PortfolioSummary, TRADING_DAYS, roundSig } from './generate.js'

const TOP = 3

export class PortfolioAnalyzer {
  readonly positions: number
  readonly historyDays: number
  /** Days of history stored per series (historyDays + snapshots − 1). */
  private readonly days: number
  private readonly symbols: string[]
  private readonly cash: number
  private readonly dailyRiskFree: number
  private readonly quantities: Float64Array
  /** Asset-major returns: day t of position i at i × days + t. */
  private readonly returns: Float64Array
  private readonly indexReturns: Float64Array
  /** Snapshot-major prices: position i at snapshot k at k × positions + i. */
  private readonly prices: Float64Array

  private readonly demeaned: Float64Array
  private readonly demeanedIndex: Float64Array
  private readonly portfolioReturns: Float64Array
  readonly weight: Float64Array
  readonly betas: Float64Array
  /** Row-major N×N sample covariance of the window. */
  readonly covariance: Float64Array
  readonly sigmaW: Float64Array
  readonly contribution: Float64Array
  readonly top = new Int32Array(TOP)

  nav = 0
  grossExposure = 0
  netExposure = 0
  beta = 0
  volatilityDaily = 0
  volatilityAnnual = 0
  sharpe = 0
  riskContributionSum = 0

  constructor(input: PortfolioInput) {
    const n = input.symbols.length
    const T = input.historyDays
    const days = input.indexReturns.length
    this.positions = n
    this.historyDays = T
    this.days = days
    this.symbols = input.symbols.slice()
    this.cash = input.cash
    this.dailyRiskFree = input.riskFreeRate / TRADING_DAYS
    this.quantities = Float64Array.from(input.quantities)
    this.returns = new Float64Array(n * days)
    input.assetReturns.forEach((r, i) => this.returns.set(r, i * days))
    this.indexReturns = Float64Array.from(input.indexReturns)
    this.prices = new Float64Array(input.prices.length * n)
    input.prices.forEach((row, k) => this.prices.set(row, k * n))
    this.demeaned = new Float64Array(n * T)
    this.demeanedIndex = new Float64Array(T)
    this.portfolioReturns = new Float64Array(T)
    this.weight = new Float64Array(n)
    this.betas = new Float64Array(n)
    this.covariance = new Float64Array(n * n)
    this.sigmaW = new Float64Array(n)
    this.contribution = new Float64Array(n)
  }

  /** Computes every statistic for one snapshot into this object's fields. */
  analyze(snapshot: number): void {
    this.valuePositions(snapshot)
    this.demeanWindows(snapshot)
    this.computeBetas()
    this.computeCovariance()
    this.computeRisk()
    this.computeSharpe(snapshot)
    this.pickTopContributors()
  }

  private valuePositions(snapshot: number): void {
    const n = this.positions
    const q = this.quantities
    const prices = this.prices
    const w = this.weight
    const base = snapshot * n
    let nav = this.cash
    for (let i = 0; i < n; i++) nav += q[i]! * prices[base + i]!
    let gross = 0
    let net = 0
    for (let i = 0; i < n; i++) {
      const wi = (q[i]! * prices[base + i]!) / nav
      w[i] = wi
      gross += Math.abs(wi)
      net += wi
    }
    this.nav = nav
    this.grossExposure = gross
    this.netExposure = net
  }

  /** Means of each window and the window minus its mean, computed once instead of once per pair. */
  private demeanWindows(snapshot: number): void {
    const T = this.historyDays
    const days = this.days
    const r = this.returns
    const d = this.demeaned
    for (let i = 0; i < this.positions; i++) {
      const src = i * days + snapshot
      let s = 0
      for (let t = 0; t < T; t++) s += r[src + t]!
      const mu = s / T
      const dst = i * T
      for (let t = 0; t < T; t++) d[dst + t] = r[src + t]! - mu
    }
    const m = this.indexReturns
    const dm = this.demeanedIndex
    let s = 0
    for (let t = 0; t < T; t++) s += m[snapshot + t]!
    const mu = s / T
    for (let t = 0; t < T; t++) dm[t] = m[snapshot + t]! - mu
  }

  private computeBetas(): void {
    const T = this.historyDays
    const d = this.demeaned
    const dm = this.demeanedIndex
    let sm = 0
    for (let t = 0; t < T; t++) sm += dm[t]! * dm[t]!
    const indexVariance = sm / (T - 1)
    let beta = 0
    for (let i = 0; i < this.positions; i++) {
      const row = i * T
      let s = 0
      for (let t = 0; t < T; t++) s += d[row + t]! * dm[t]!
      const b = s / (T - 1) / indexVariance
      this.betas[i] = b
      beta += this.weight[i]! * b
    }
    this.beta = beta
  }

  /**
   * The N×N sample covariance: upper triangle computed, lower mirrored (the products commute exactly).
   * Four columns at a time share each load of row i and give the CPU four independent add chains; each
   * entry still sums its own products in day order, so it equals the one-pair-at-a-time result.
   */
  private computeCovariance(): void {
    const n = this.positions
    const T = this.historyDays
    const d = this.demeaned
    const c = this.covariance
    const denominator = T - 1
    for (let i = 0; i < n; i++) {
      const ri = i * T
      let j = i
      for (; j + 3 < n; j += 4) {
        const r0 = j * T
        const r1 = r0 + T
        const r2 = r1 + T
        const r3 = r2 + T
        let s0 = 0
        let s1 = 0
        let s2 = 0
        let s3 = 0
        for (let t = 0; t < T; t++) {
          const x = d[ri + t]!
          s0 += x * d[r0 + t]!
          s1 += x * d[r1 + t]!
          s2 += x * d[r2 + t]!
          s3 += x * d[r3 + t]!
        }
        storeSymmetric(c, n, i, j, s0 / denominator)
        storeSymmetric(c, n, i, j + 1, s1 / denominator)
        storeSymmetric(c, n, i, j + 2, s2 / denominator)
        storeSymmetric(c, n, i, j + 3, s3 / denominator)
      }
      for (; j < n; j++) {
        const rj = j * T
        let s = 0
        for (let t = 0; t < T; t++) s += d[ri + t]! * d[rj + t]!
        storeSymmetric(c, n, i, j, s / denominator)
      }
    }
  }

  private computeRisk(): void {
    const n = this.positions
    const c = this.covariance
    const w = this.weight
    const sw = this.sigmaW
    let variance = 0
    for (let i = 0; i < n; i++) {
      const row = i * n
      let s = 0
      for (let j = 0; j < n; j++) s += c[row + j]! * w[j]!
      sw[i] = s
      variance += w[i]! * s
    }
    const vol = Math.sqrt(variance)
    let sum = 0
    for (let i = 0; i < n; i++) {
      const rc = (w[i]! * sw[i]!) / vol
      this.contribution[i] = rc
      sum += rc
    }
    this.volatilityDaily = vol
    this.volatilityAnnual = vol * Math.sqrt(TRADING_DAYS)
    this.riskContributionSum = sum
  }

  private computeSharpe(snapshot: number): void {
    const T = this.historyDays
    const days = this.days
    const r = this.returns
    const w = this.weight
    const rp = this.portfolioReturns
    rp.fill(0)
    // Position-outer keeps memory access sequential; each day's sum still adds positions in order.
    for (let i = 0; i < this.positions; i++) {
      const wi = w[i]!
      const src = i * days + snapshot
      for (let t = 0; t < T; t++) rp[t] = rp[t]! + wi * r[src + t]!
    }
    let s = 0
    for (let t = 0; t < T; t++) s += rp[t]!
    const mu = s / T
    let ss = 0
    for (let t = 0; t < T; t++) ss += (rp[t]! - mu) * (rp[t]! - mu)
    this.sharpe = ((mu - this.dailyRiskFree) / Math.sqrt(ss / (T - 1))) * Math.sqrt(TRADING_DAYS)
  }

  /** The TOP largest contributions, earlier position first on ties (what a stable sort would give). */
  private pickTopContributors(): void {
    const top = this.top
    top.fill(-1)
    const rc = this.contribution
    for (let i = 0; i < this.positions; i++) {
      const v = rc[i]!
      for (let k = 0; k < TOP; k++) {
        const held = top[k]!
        if (held === -1 || v > rc[held]!) {
          for (let m = TOP - 1; m > k; m--) top[m] = top[m - 1]!
          top[k] = i
          break
        }
      }
    }
  }

  /** The latest analysis as plain data (allocates: for answers and tests, not the timed loop). */
  summarize(): PortfolioSummary {
    const topContributors: PortfolioSummary['topContributors'] = []
    for (const i of this.top) {
      if (i < 0) continue
      topContributors.push({ symbol: this.symbols[i]!, contribution: roundSig(this.contribution[i]!), weight: roundSig(this.weight[i]!) })
    }
    return {
      nav: roundSig(this.nav),
      grossExposure: roundSig(this.grossExposure),
      netExposure: roundSig(this.netExposure),
      beta: roundSig(this.beta),
      volatilityDaily: roundSig(this.volatilityDaily),
      volatilityAnnual: roundSig(this.volatilityAnnual),
      sharpe: roundSig(this.sharpe),
      riskContributionSum: roundSig(this.riskContributionSum),
      topContributors,
    }
  }
}

function storeSymmetric(c: Float64Array, n: number, i: number, j: number, v: number): void {
  c[i * n + j] = v
  c[j * n + i] = v
}
