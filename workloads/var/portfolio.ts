/**
 * The seeded portfolio behind the VaR workload: long positions in correlated assets (a small factor model
 * keeps the correlation matrix positive definite), their daily covariance and its Cholesky factor.
 */
import { TRADING_DAYS_PER_YEAR } from '../data/bars.js'
import { createRng } from '../data/prng.js'

/**
 * Plain data, so it crosses to worker threads as is. Matrices are row-major arrays of rows.
 * Log returns are modelled as zero-drift normal with daily covariance `covariance`.
 */
export interface Portfolio {
  assets: number
  /** Market value of each position, in currency units. */
  values: number[]
  /** Daily volatility of each asset's log return. */
  dailyVol: number[]
  correlation: number[][]
  /** Daily covariance of log returns. */
  covariance: number[][]
  /** Lower-triangular L with L·Lᵀ = covariance. */
  cholesky: number[][]
}

/**
 * Positions of 50,000–490,000 in steps of 10,000; annual volatility 15–50%; correlation from up to three
 * factors with loadings in [−0.3, 0.9) plus idiosyncratic variance in [0.2, 1.0), normalized to a unit diagonal.
 */
export function generatePortfolio(seed: number, assets: number): Portfolio {
  const rng = createRng(seed)
  const factors = Math.min(3, assets)
  const values: number[] = []
  const dailyVol: number[] = []
  const loadings: number[][] = []
  const idio: number[] = []
  for (let i = 0; i < assets; i++) {
    values.push(10_000 * rng.int(5, 49))
    dailyVol.push(rng.uniform(0.15, 0.5) / Math.sqrt(TRADING_DAYS_PER_YEAR))
    const row: number[] = []
    for (let k = 0; k < factors; k++) row.push(rng.uniform(-0.3, 0.9))
    loadings.push(row)
    idio.push(rng.uniform(0.2, 1.0))
  }
  const raw = loadings.map((bi, i) => loadings.map((bj, j) => bi.reduce((s, b, k) => s + b * bj[k]!, 0) + (i === j ? idio[i]! : 0)))
  const correlation = raw.map((row, i) => row.map((r, j) => (i === j ? 1 : r / Math.sqrt(raw[i]![i]! * raw[j]![j]!))))
  const covariance = correlation.map((row, i) =>
    row.map((c, j) => (i === j ? dailyVol[i]! * dailyVol[i]! : c * dailyVol[i]! * dailyVol[j]!)),
  )
  return { assets, values, dailyVol, correlation, covariance, cholesky: choleskyLower(covariance) }
}

/** Cholesky–Banachiewicz: the lower-triangular L with L·Lᵀ = m. Throws if m is not positive definite. */
export function choleskyLower(m: number[][]): number[][] {
  const n = m.length
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i]![j]!
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix is not positive definite (pivot ${i} is ${s})`)
        l[i]![i] = Math.sqrt(s)
      } else {
        l[i]![j] = s / l[j]![j]!
      }
    }
  }
  return l
}
