/**
 * The renderer's stylesheets are plain CSS: every block closes, and no rule sits inside another rule (only
 * inside @media, @supports, @keyframes, @layer). Vite's CSS minifier reads an unclosed block as CSS
 * nesting, silently: a missing `}` after `.workload-problem-message` once scoped every rule after it
 * (the time-range bar, the heap drill-down columns) to that class, and nothing showed an error.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../helpers/cli.js'

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return cssFiles(full)
    return e.name.endsWith('.css') ? [full] : []
  })
}

/** Problems of one stylesheet: unbalanced braces, and rules nested in rules (with their line numbers). */
export function cssStructureProblems(text: string): string[] {
  const problems: string[] = []
  const open: { line: number; atRule: boolean }[] = []
  let line = 1
  let prelude = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end === -1 ? text.length : end + 2
      line += (text.slice(i, stop).match(/\n/g) ?? []).length
      i = stop - 1
      continue
    }
    if (ch === '\n') line++
    if (ch === '{') {
      const top = open.at(-1)
      const atRule = prelude.trim().startsWith('@')
      // Inside @keyframes, "from"/"50%" blocks are not rules in rules; inside an ordinary rule, any block is nesting.
      if (top && !top.atRule) problems.push(`line ${line}: a rule inside the rule opened on line ${top.line} (a missing "}"?)`)
      open.push({ line, atRule })
      prelude = ''
    } else if (ch === '}') {
      if (!open.pop()) problems.push(`line ${line}: "}" closes nothing`)
      prelude = ''
    } else if (ch === ';') {
      prelude = ''
    } else {
      prelude += ch
    }
  }
  for (const o of open) problems.push(`line ${o.line}: block never closed`)
  return problems
}

describe('renderer stylesheets', () => {
  const files = cssFiles(path.join(repoRoot, 'renderer', 'src'))

  it('finds the stylesheets', () => {
    expect(files.map((f) => path.basename(f))).toContain('app.css')
  })

  it.each(files.map((f) => [path.relative(repoRoot, f), f]))('%s closes every block and nests no rule in a rule', (_name, file) => {
    expect(cssStructureProblems(readFileSync(file, 'utf8'))).toEqual([])
  })

  it('catches a missing "}" and a stray one', () => {
    expect(cssStructureProblems('.a {\n  color: red;\n\n.b {\n  color: blue;\n}\n')).toEqual([
      'line 4: a rule inside the rule opened on line 1 (a missing "}"?)',
      'line 1: block never closed',
    ])
    expect(cssStructureProblems('.a { color: red; }\n}\n')).toEqual(['line 2: "}" closes nothing'])
    expect(cssStructureProblems('@media (max-width: 10px) {\n  .a { color: red; }\n}\n/* { */\n@keyframes k { from { opacity: 0 } }\n')).toEqual([])
  })
})
