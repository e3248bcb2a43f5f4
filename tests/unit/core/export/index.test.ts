import { describe, expect, it } from 'vitest'
import { EXPORT_FORMATS, exporterForFile, exporters, getExporter } from '../../../../core/export/index.js'

describe('exporter registry', () => {
  it('has one exporter per format, each naming its own format', () => {
    for (const format of EXPORT_FORMATS) expect(exporters[format].format).toBe(format)
  })

  it.each([
    ['md', 'markdown'],
    ['MARKDOWN', 'markdown'],
    ['json', 'json'],
    ['html', 'html'],
    ['csv', 'csv'],
  ])('getExporter(%s) is %s', (name, format) => {
    expect(getExporter(name)?.format).toBe(format)
  })

  it('finds exporters by file extension', () => {
    expect(exporterForFile('out/report.md')?.format).toBe('markdown')
    expect(exporterForFile('report.HTM')?.format).toBe('html')
    expect(exporterForFile('metrics.csv')?.format).toBe('csv')
    expect(exporterForFile('report.txt')).toBeUndefined()
    expect(exporterForFile('report')).toBeUndefined()
    expect(getExporter('pdf')).toBeUndefined()
  })
})
