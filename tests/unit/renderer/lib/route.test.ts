import { describe, expect, it } from 'vitest'
import type { ProfileTransform } from '../../../../core/analysis/transforms.js'
import { DEFAULT_ROUTE, type Route, formatHash, parseHash } from '../../../../renderer/src/lib/route.js'

describe('hash routes', () => {
  it('round-trips every route', () => {
    for (const route of [
      { view: 'launch' },
      { view: 'live' },
      { view: 'runs' },
      { view: 'environment' },
      { view: 'targets' },
      { view: 'open' },
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

  it('keeps a run’s and a comparison’s transform stack in the hash, and drops a malformed one', () => {
    const transforms: ProfileTransform[] = [
      { type: 'focus-function', fn: 'rebuildHeap file:///a/naive.js:32:16' },
      { type: 'focus-subtree', path: ['measure file:///a/m.js:19:30', 'walk file:///a/n.js:45:9'] },
      { type: 'collapse-module', module: 'npm:@scope/pkg' },
      { type: 'hide-frame', frame: '(garbage collector)' },
    ]
    const run: Route = { view: 'run', runId: '20261123T065012345Z-orderbook-k3f9', transforms }
    const compare: Route = {
      view: 'compare',
      ids: ['20261123T065012345Z-orderbook-k3f9', '20261123T065012346Z-orderbook-k3fa'],
      transforms,
    }
    expect(parseHash(formatHash(run))).toEqual(run)
    expect(parseHash(formatHash(compare))).toEqual(compare)
    const runId = '20261123T065012345Z-orderbook-k3f9'
    expect(formatHash({ view: 'run', runId, transforms: [] })).toBe(`#/runs/${runId}`)
    expect(parseHash(`#/runs/${runId}?tx=${encodeURIComponent('[{"type":"explode"}]')}`)).toEqual({ view: 'run', runId })
    expect(parseHash(`#/runs/${runId}?tx=%7Bnot-json`)).toEqual({ view: 'run', runId })
  })
})
