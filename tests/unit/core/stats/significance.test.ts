import { describe, expect, it } from 'vitest'
import {
  medianInterval,
  benjaminiHochberg,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  welchTTest,
  wilsonInterval,
} from '../../../../core/stats/significance.js'

describe('normal distribution helpers', () => {
  it.each([
    [0, 0.5],
    [1.959963984540054, 0.975],
    [-1.959963984540054, 0.025],
    [1, 0.8413447460685429],
    [-3, 0.0013498980316301],
  ])('Φ(%s) = %s', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 6)
  })

  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.025, -1.959963984540054],
    [0.001, -3.090232306167813],
    [0.9999, 3.719016485455709],
  ])('Φ⁻¹(%s) = %s', (p, x) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 7)
  })

  it('handles the ends', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY)
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY)
    expect(normalQuantile(1.5)).toBeNaN()
  })
})

describe('statistics', () => {
  it('computes Student t tail probabilities (closed forms for 1 and 2 degrees of freedom, tables otherwise)', () => {
    for (const t of [0.3, 1, 2.5, 10]) {
      expect(studentTTwoSidedP(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(t), 12)
      expect(studentTTwoSidedP(-t, 2)).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 12)
    }
    expect(studentTTwoSidedP(2.228138851986, 10)).toBeCloseTo(0.05, 9)
    expect(studentTTwoSidedP(2.570581835636, 5)).toBeCloseTo(0.05, 9)
    expect(studentTTwoSidedP(3.249835541592, 9)).toBeCloseTo(0.01, 9)
    expect(studentTTwoSidedP(1.95996398454, 1e7)).toBeCloseTo(0.05, 6)
    expect(studentTTwoSidedP(0, 4)).toBeCloseTo(1, 12)
    expect(studentTTwoSidedP(Infinity, 4)).toBe(0)
  })

  it('computes ln Γ and the regularized incomplete beta function', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12)
    // References from CPython's math.lgamma.
    expect(logGamma(100.5)).toBeCloseTo(361.4355404677776, 9)
    expect(logGamma(0.1)).toBeCloseTo(2.2527126517342055, 12)
    expect(logGamma(3.7)).toBeCloseTo(1.4280723266653883, 12)
    // I_x(2, 3) = Σ_{j=2..4} C(4, j) x^j (1 − x)^(4 − j).
    expect(regularizedIncompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12)
    expect(regularizedIncompleteBeta(0.9, 2, 3)).toBeCloseTo(0.9963, 12)
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0)
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1)
  })

  it('runs Welch’s t-test', () => {
    const r = welchTTest([1, 2, 3, 4, 5], [3, 4, 5, 6, 7])
    expect(r.t).toBeCloseTo(2, 12)
    expect(r.df).toBeCloseTo(8, 12)
    expect(r.p).toBeCloseTo(0.08052, 4)
    // Unequal variances: the degrees of freedom drop below n1 + n2 − 2.
    expect(welchTTest([10, 10.1, 9.9], [12, 15, 9, 14]).df).toBeLessThan(5)
    expect(welchTTest([1, 1], [1, 1]).p).toBe(1)
    expect(welchTTest([1, 1], [2, 2]).p).toBe(0)
    expect(() => welchTTest([1], [1, 2])).toThrow(/at least two values/)
  })

  it('adjusts p-values by Benjamini–Hochberg', () => {
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.5])
    expect(adjusted[0]).toBeCloseTo(0.04, 12)
    expect(adjusted[1]).toBeCloseTo(0.04 * (4 / 3), 12)
    expect(adjusted[2]).toBeCloseTo(0.04 * (4 / 3), 12)
    expect(adjusted[3]).toBeCloseTo(0.5, 12)
    expect(benjaminiHochberg([0.9, Number.NaN])).toEqual([0.9, Number.NaN])
  })
})

describe('Student t quantiles and CDF', () => {
  // References: R's qt() / scipy.stats.t.ppf.
  it.each([
    [0.975, 1, 12.706204736174698],
    [0.975, 2, 4.302652729749464],
    [0.975, 4, 2.7764451051977934],
    [0.975, 9, 2.2621571628540993],
    [0.95, 19, 1.729132811521367],
    [0.995, 30, 2.7499956535670305],
    [0.975, 1e6, 1.9599664],
  ])('qt(%s, %s) = %s', (p, df, t) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(t, 6)
    expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 6)
    expect(studentTCdf(t, df)).toBeCloseTo(p, 7)
  })

  it('handles the ends and bad input', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0)
    expect(studentTQuantile(0, 3)).toBe(Number.NEGATIVE_INFINITY)
    expect(studentTQuantile(1, 3)).toBe(Number.POSITIVE_INFINITY)
    expect(studentTQuantile(0.9, 0)).toBeNaN()
    expect(studentTCdf(Infinity, 3)).toBe(1)
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 12)
  })
})

describe('Wilson interval', () => {
  it('matches the closed form evaluated independently (Python, double precision); 0/20 → [0, 0.161] as in Brown, Cai & DasGupta (2001)', () => {
    const a = wilsonInterval(0, 20)
    expect(a.low).toBe(0)
    expect(a.high).toBeCloseTo(0.16112515805281938, 8)
    const b = wilsonInterval(19, 20)
    expect(b.low).toBeCloseTo(0.763868806553258, 8)
    expect(b.high).toBeCloseTo(0.9911185511992047, 8)
    const c = wilsonInterval(5, 10)
    expect(c.low).toBeCloseTo(0.236593090512564, 8)
    expect(c.high).toBeCloseTo(0.7634069094874361, 8)
  })

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError)
    expect(wilsonInterval(0, 0).rate).toBeNaN()
  })
})

describe('medianInterval (order statistics, sign-test coverage)', () => {
  it('gives min–max for five values with its real coverage (93.75%), and narrows as n grows', () => {
    const five = medianInterval([5, 1, 4, 2, 3])
    expect(five).toEqual({ median: 3, low: 1, high: 5, coverage: 1 - 2 / 32, n: 5 })
    // n = 20: [x(6), x(15)] covers 95.86% (x(7)–x(14) would cover only 88.5%).
    const twenty = medianInterval(Array.from({ length: 20 }, (_, i) => 20 - i))
    expect(twenty.low).toBe(6)
    expect(twenty.high).toBe(15)
    expect(twenty.median).toBe(10.5)
    expect(twenty.coverage).toBeCloseTo(0.9586, 4)
  })
  it('refuses no values and non-finite ones', () => {
    expect(() => medianInterval([])).toThrow(/at least one/)
    expect(() => medianInterval([1, Number.NaN])).toThrow(/finite/)
  })
})
