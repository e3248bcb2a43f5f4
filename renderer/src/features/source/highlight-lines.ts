/**
 * Syntax highlighting for the source view: highlight.js (core plus JavaScript and TypeScript only, to keep
 * the bundle small) over the whole text, then split into one HTML string per line so the view can
 * virtualize rows. A token that spans lines (a block comment, a template literal) is closed at each line
 * end and reopened on the next, so every line's HTML is balanced on its own; highlight.js has no per-line
 * output of its own (its line-number plugins work on the DOM after the fact), hence this small splitter.
 */
import hljs from 'highlight.js/lib/core'
import javascript from 'highlight.js/lib/languages/javascript'
import typescript from 'highlight.js/lib/languages/typescript'

hljs.registerLanguage('javascript', javascript)
hljs.registerLanguage('typescript', typescript)

/** Past this size the text is shown plain: highlighting megabytes would hold the page for seconds. */
export const MAX_HIGHLIGHT_CHARS = 1024 * 1024

/** Line ends as V8 counts them (\r\n, \r, \n), made \n so line numbers match the profile's. */
export function normalizeLineEnds(text: string): string {
  return text.replace(/\r\n?|\u2028|\u2029/g, '\n')
}

/**
 * One HTML string per line of `text` (already normalized): highlighted spans with classes `hljs-…`, all
 * text escaped. A final newline opens no extra line (as countLines in core/analysis/source-heat.ts).
 */
export function highlightLines(text: string, language: 'javascript' | 'typescript'): { lines: string[]; highlighted: boolean } {
  if (text.length > MAX_HIGHLIGHT_CHARS) return { lines: trimLast(escapeHtml(text).split('\n'), text), highlighted: false }
  const html = hljs.highlight(text, { language, ignoreIllegals: true }).value
  return { lines: trimLast(splitHighlightedHtml(html), text), highlighted: true }
}

function trimLast(lines: string[], text: string): string[] {
  return text.endsWith('\n') && lines.length > 1 ? lines.slice(0, -1) : lines
}

/** Splits highlight.js output at newlines, closing open spans at each line end and reopening them after. */
export function splitHighlightedHtml(html: string): string[] {
  const lines: string[] = []
  const open: string[] = []
  let line = ''
  const token = /<span[^>]*>|<\/span>|\n|[^<\n]+|</g
  for (let m = token.exec(html); m; m = token.exec(html)) {
    const t = m[0]
    if (t === '\n') {
      lines.push(line + '</span>'.repeat(open.length))
      line = open.join('')
    } else if (t === '</span>') {
      open.pop()
      line += t
    } else if (t.startsWith('<span')) {
      open.push(t)
      line += t
    } else line += t
  }
  lines.push(line + '</span>'.repeat(open.length))
  return lines
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c] as string)
}
