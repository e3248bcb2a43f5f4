import { describe, expect, it } from 'vitest'
import { reportFileName } from '../../../../core/export/report-file-name.js'

const run = (label: string, id = 'orderbook', variant = 'naive') => ({ label, workload: { id, variant, params: {}, seed: 42 } })

describe('reportFileName', () => {
  it('names the report after the runs, never after an object', () => {
    const name = reportFileName({ runs: [run('book naive'), run('book optimized', 'orderbook', 'optimized')] } as never, 'md')
    expect(name).toBe('hotpath-book-naive-vs-book-optimized.md')
    expect(name).not.toContain('object')
  })
  it('falls back to workload/variant for unlabelled runs and strips unsafe characters', () => {
    expect(reportFileName({ runs: [run('', 'var', 'naive'), run('Ünïcode / "quotes" *', 'var', 'pooled')] } as never, 'html')).toBe(
      'hotpath-var-naive-vs-unicode-quotes.html',
    )
  })
  it('stays short with many runs', () => {
    const runs = Array.from({ length: 20 }, (_, i) => run(`a fairly long run label number ${i}`))
    const name = reportFileName({ runs } as never, 'json')
    expect(name.length).toBeLessThan(110)
    expect(name).toMatch(/^hotpath-a-fairly-long-run-label-number-0-vs-19-runs\.json$/)
  })
})
