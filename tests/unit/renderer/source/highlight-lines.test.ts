import { describe, expect, it } from 'vitest'
import { highlightLines, normalizeLineEnds, splitHighlightedHtml } from '../../../../renderer/src/features/source/highlight-lines.js'

/** Whether every line's HTML opens and closes the same number of spans. */
const balanced = (html: string): boolean => (html.match(/<span/g) ?? []).length === (html.match(/<\/span>/g) ?? []).length

describe('highlightLines', () => {
  it('gives one balanced HTML line per source line, a block comment reopened on each line', () => {
    const text = 'const a = 1 /* one\ntwo\nthree */ + `x\n${a}`\nfunction f() {}\n'
    const { lines, highlighted } = highlightLines(text, 'javascript')
    expect(highlighted).toBe(true)
    expect(lines).toHaveLength(5)
    for (const l of lines) expect(balanced(l)).toBe(true)
    expect(lines[1]).toBe('<span class="hljs-comment">two</span>')
    expect(lines[0]).toContain('<span class="hljs-keyword">const</span>')
    expect(lines[4]).toContain('hljs-title')
  })

  it('escapes what the source says, so no markup from a file reaches the page', () => {
    const { lines } = highlightLines('const s = "<img src=x onerror=alert(1)>"', 'typescript')
    expect(lines[0]).not.toContain('<img')
    expect(lines[0]).toContain('&lt;img')
  })

  it('splits plain text too', () => {
    expect(splitHighlightedHtml('a\nb')).toEqual(['a', 'b'])
    expect(splitHighlightedHtml('<span class="x">a\nb</span>c')).toEqual(['<span class="x">a</span>', '<span class="x">b</span>c'])
  })

  it('normalizes line ends as V8 counts them', () => {
    expect(normalizeLineEnds('a\r\nb\rc\nd')).toBe('a\nb\nc\nd')
  })
})
