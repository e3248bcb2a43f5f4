import { describe, expect, it } from 'vitest'
import { markdownExporter, mdCell } from '../../../../core/export/markdown.js'
import { explainingFunctions, shortLocation } from '../../../../core/export/phrases.js'
import { compareRuns } from '../../../../core/compare/comparison.js'
import { functionChanges, makeReportInput } from './report-fixture.js'

describe('markdownExporter', () => {
  it('renders the comparison report (snapshot)', async () => {
    const md = markdownExporter.serialize(makeReportInput())
    await expect(md).toMatchFileSnapshot('./__snapshots__/comparison-report.md')
  })

  it('leads with the headline ratio and verdict, and keeps tables intact', () => {
    const md = markdownExporter.serialize(makeReportInput())
    // The provenance lines (date, baseline and candidate commits) come first, then the headline.
    expect(md).toMatch(/^## Hotpath comparison: orderbook\n\n- Date: [^\n]+\n- Baseline: [^\n]+\n- Candidate: [^\n]+\n\n- \*\*sorted \\\| &lt;script&gt;.* vs heap &lt;b&gt;baseline&lt;\/b&gt;: throughput 0\.8\d\dx \(-1\d\.\d%, 95% CI -1\d\.\d% … -1\d\.\d%, 5 \+ 5 processes, could detect ≥ \d\.\d%\): regressed\*\*/)
    // Every table row has the same number of cells as its header.
    const rows = md.split('\n').filter((l) => l.startsWith('| Metric') || l.startsWith('| Throughput') || l.startsWith('| Peak RSS'))
    const cells = rows.map((r) => r.split(/(?<!\\)\|/).length)
    expect(new Set(cells).size).toBe(1)
    expect(md).not.toContain('<script>')
    expect(md.length).toBeLessThan(20_000)
  })

  it('renders a single run without candidates', () => {
    const input = makeReportInput()
    const single = { comparison: compareRuns([input.runs[0]!]), runs: [input.runs[0]!] }
    const md = markdownExporter.serialize(single)
    expect(md).toContain('nothing to compare against')
    expect(md).toMatch(/\| Throughput \(`opsPerSec`\) \| [\d.]+ k ops\/s \|/)
  })
})

describe('helpers', () => {
  it('escapes table cells', () => {
    expect(mdCell('a|b\nc <i>')).toBe('a\\|b c &lt;i&gt;')
  })

  it('shortens script locations and drops home folders', () => {
    expect(shortLocation('file:///home/alice/hotpath/workloads/orderbook/heap.js', 41)).toBe('orderbook/heap.js:41')
    expect(shortLocation('node:internal/timers', 0)).toBe('node:internal/timers')
    expect(shortLocation('', 3)).toBe('')
  })

  it('picks the top grown and shrunk functions by size of change', () => {
    const { grown, shrunk } = explainingFunctions(functionChanges, 5)
    expect(grown.map((f) => f.name)).toEqual(['siftDown', ''])
    expect(shrunk.map((f) => f.name)).toEqual(['bestBid'])
    expect(explainingFunctions(functionChanges, 1).grown).toHaveLength(1)
  })
})
