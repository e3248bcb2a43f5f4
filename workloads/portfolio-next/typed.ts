/**
 * The optimized portfolio variant: returns in one row-major Float64Array (asset x day), demeaned once,
 * covariance over the upper triangle into a preallocated n x n buffer; run() allocates nothing.
 * Sums run in the same order as the objects variant, so the two agree to the last bit in practice.
 */
import { type PortfolioAnalytics, type PortfolioInput, TRADING_DAYS } from './data.js'
import type { PortfolioEngine } from './objects.js'

export function createTypedEngine(input: PortfolioInput): PortfolioEngine {
  const n = input.symbols.length
  const days = input.indexReturns.length
  const returns = new Float64Array(n * days)
  for (let i = 0; i < n; i++) returns.set(input.returns[i]!, i * days)
  const index = Float64Array.from(input.indexReturns)
  const quantity = Float64Array.from(input.quantities)
  const price = Float64Array.from(input.prices)
  const rf = input.riskFreeRate

  // Buffers reused by every run.
  const marketValue = new Float64Array(n)
  const weight = new Float64Array(n)
  const mean = new Float64Array(n)
  const demeaned = new Float64Array(n * days)
  const indexDemeaned = new Float64Array(days)
  const cov = new Float64Array(n * n)
  const sigmaW = new Float64Array(n)
  const beta = new Float64Array(n)
  const rc = new Float64Array(n)
  const out = {
    net: 0,
    gross: 0,
    long: 0,
    short: 0,
    portfolioBeta: 0,
    trace: 0,
    volDaily: 0,
    volAnnual: 0,
    returnAnnual: 0,
    sharpe: 0,
  }

  function computeAnalyticsTyped(): number {
    let net = 0
    let gross = 0
    let long = 0
    let short = 0
    for (let i = 0; i < n; i++) {
      const v = quantity[i]! * price[i]!
      marketValue[i] = v
      net += v
      gross += Math.abs(v)
      if (v > 0) long += v
      if (v < 0) short += v
    }
    for (let i = 0; i < n; i++) weight[i] = marketValue[i]! / net

    for (let i = 0; i < n; i++) {
      const row = i * days
      let s = 0
      for (let t = 0; t < days; t++) s += returns[row + t]!
      const m = s / days
      mean[i] = m
      for (let t = 0; t < days; t++) demeaned[row + t] = returns[row + t]! - m
    }
    let si = 0
    for (let t = 0; t < days; t++) si += index[t]!
    const indexMean = si / days
    let indexVar = 0
    for (let t = 0; t < days; t++) {
      const d = index[t]! - indexMean
      indexDemeaned[t] = d
      indexVar += d * d
    }
    indexVar /= days - 1

    const denom = days - 1
    for (let i = 0; i < n; i++) {
      const ri = i * days
      for (let j = i; j < n; j++) {
        const rj = j * days
        let s = 0
        for (let t = 0; t < days; t++) s += demeaned[ri + t]! * demeaned[rj + t]!
        const c = s / denom
        cov[i * n + j] = c
        cov[j * n + i] = c
      }
      let sb = 0
      for (let t = 0; t < days; t++) sb += demeaned[ri + t]! * indexDemeaned[t]!
      beta[i] = sb / denom / indexVar
    }

    let variance = 0
    let pBeta = 0
    let meanDaily = 0
    let trace = 0
    for (let i = 0; i < n; i++) {
      let s = 0
      const row = i * n
      for (let j = 0; j < n; j++) s += cov[row + j]! * weight[j]!
      sigmaW[i] = s
      variance += weight[i]! * s
      pBeta += weight[i]! * beta[i]!
      meanDaily += weight[i]! * mean[i]!
      trace += cov[row + i]!
    }
    const vol = Math.sqrt(variance)
    for (let i = 0; i < n; i++) rc[i] = (weight[i]! * sigmaW[i]!) / vol

    out.net = net
    out.gross = gross
    out.long = long
    out.short = short
    out.portfolioBeta = pBeta
    out.trace = trace
    out.volDaily = vol
    out.volAnnual = vol * Math.sqrt(TRADING_DAYS)
    out.returnAnnual = meanDaily * TRADING_DAYS
    out.sharpe = (out.returnAnnual - rf) / out.volAnnual
    return vol
  }

  function snapshotTyped(): PortfolioAnalytics {
    computeAnalyticsTyped()
    return {
      symbols: [...input.symbols],
      marketValues: Array.from(marketValue),
      weights: Array.from(weight),
      netExposure: out.net,
      grossExposure: out.gross,
      longExposure: out.long,
      shortExposure: out.short,
      betas: Array.from(beta),
      portfolioBeta: out.portfolioBeta,
      covarianceTrace: out.trace,
      volatilityDaily: out.volDaily,
      volatilityAnnual: out.volAnnual,
      riskContributions: Array.from(rc),
      expectedReturnAnnual: out.returnAnnual,
      sharpe: out.sharpe,
    }
  }

  return { run: computeAnalyticsTyped, result: snapshotTyped }
}
