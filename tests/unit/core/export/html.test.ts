import { describe, expect, it } from 'vitest'
import { ciChartSvg, escapeHtml, htmlExporter, latencyChartSvg, latencySeries } from '../../../../core/export/html.js'
import { makeReportInput } from './report-fixture.js'

describe('htmlExporter', () => {
  const html = htmlExporter.serialize(makeReportInput())

  it('is self-contained: no network references, no scripts, loading forbidden by CSP', () => {
    expect(html).not.toMatch(/https?:\/\//i)
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/\s(src|href)\s*=/i)
    expect(html).not.toMatch(/@import|url\(/i)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html.trimEnd().endsWith('</html>')).toBe(true)
  })

  it('escapes labels everywhere', () => {
    expect(html).toContain('sorted | &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).toContain('heap &lt;b&gt;baseline&lt;/b&gt;')
    expect(html).not.toContain('<b>baseline</b>')
  })

  it('draws the interval chart and the latency distribution inline', () => {
    expect(html.match(/<svg /g)).toHaveLength(2)
    expect(html).toContain('aria-label="Change per metric with confidence intervals"')
    expect(html).toContain('aria-label="Latency by percentile"')
    expect(html).toContain('Gate failed')
    expect(html).toContain('Functions that explain the change')
    expect(html).toContain('<code>runtime.node</code>')
  })

  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})

describe('charts', () => {
  it('place the ratio dot and the interval on a log axis', () => {
    const svg = ciChartSvg(
      [
        {
          name: 'p99',
          label: 'p99 latency',
          unit: 'ns',
          better: 'lower',
          perOperation: false,
          baseline: 1,
          candidate: 2,
          delta: 1,
          ratio: 2,
          ciLow: 1.5,
          ciHigh: 2.5,
          mde: 0.1,
          processes: { baseline: 5, candidate: 5 },
          verdict: 'regressed',
          basis: 'processes',
        },
      ],
      0.02,
      0.1,
    )
    const circle = /<circle cx="([\d.]+)"/.exec(svg)
    const line = /<line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)" y2="[\d.]+" stroke="#cf222e"/.exec(svg)
    expect(circle && line).toBeTruthy()
    const [cx, x1, x2] = [Number(circle![1]), Number(line![1]), Number(line![2])]
    // On a log axis the dot sits where log(2) falls between log(1.5) and log(2.5).
    const expected = x1 + ((Math.log(2) - Math.log(1.5)) / (Math.log(2.5) - Math.log(1.5))) * (x2 - x1)
    expect(Math.abs(cx - expected)).toBeLessThan(0.2)
    expect(ciChartSvg([], 0.02, 0.1)).toBe('')
  })

  it('build latency series from samples, or from the summary when there are none', () => {
    const input = makeReportInput()
    const fromSamples = latencySeries(input.runs[0]!, input.runs[0]!.samplesNs)!
    expect(fromSamples.points.length).toBe(61)
    expect(fromSamples.points[0]!.p).toBe(0)
    const fromSummary = latencySeries(input.runs[0]!, undefined)!
    expect(fromSummary.points.map((p) => p.p)).toEqual([0, 0.5, 0.9, 0.95, 0.99, 0.999])
    expect(latencyChartSvg([fromSummary])).toContain('<polyline')
    expect(latencyChartSvg([])).toBe('')
  })
})
