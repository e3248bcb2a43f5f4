import { describe, expect, it } from 'vitest'
import { DEFAULT_ROUTE, formatHash, parseHash } from '../../../../renderer/src/lib/route.js'

describe('hash routes', () => {
  it('round-trips every route', () => {
    for (const route of [
      { view: 'launch' },
      { view: 'live' },
      { view: 'runs' },
      { view: 'environment' },
      { view: 'targets' },
      { view: 'run', runId: '20261123T065012345Z-orderbook-k3f9' },
    ] as const) {
      expect(parseHash(formatHash(route))).toEqual(route)
    }
  })
  it('falls back to the default for unknown paths and to the library for bad run ids', () => {
    expect(parseHash('')).toEqual(DEFAULT_ROUTE)
    expect(parseHash('#/nope')).toEqual(DEFAULT_ROUTE)
    expect(parseHash('#/runs/../../etc')).toEqual({ view: 'runs' })
  })
  it('round-trips the trend route, its empty choices included, and names only chosen fields in the hash', () => {
    const full = { view: 'trend', workload: 'my orders/x', variant: 'naive', metric: 'p95', branch: 'feature/a&b' } as const
    expect(parseHash(formatHash(full))).toEqual(full)
    const empty = { view: 'trend', workload: '', variant: '', metric: '', branch: '' } as const
    expect(formatHash(empty)).toBe('#/trend')
    expect(parseHash('#/trend')).toEqual(empty)
    expect(formatHash({ ...empty, workload: 'orderbook' })).toBe('#/trend?workload=orderbook')
  })
  it('tolerates trailing slashes', () => {
    expect(parseHash('#/runs/')).toEqual({ view: 'runs' })
  })
})
