import { describe, expect, it } from 'vitest'
import { categorizeFrame } from '../../../../core/analysis/categories.js'
import type { FunctionCategory } from '../../../../core/model/call-tree.js'
import {
  PALETTES,
  categoryColor,
  categorySwatch,
  computeFunctionColors,
  diffColor,
  labelColorOn,
  mixColors,
  relativeLuminance,
} from '../../../../renderer/src/features/flame-graph/flame-colors.js'

const CATEGORIES: FunctionCategory[] = ['user', 'dependency', 'node-internal', 'v8-native', 'gc']

function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number]
  const max = Math.max(r, g, b)
  const min = Math.min(r, g, b)
  if (max === min) return 0
  const d = max - min
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4
  return (h * 60 + 360) % 360
}

describe('category colours', () => {
  it('colours the frames of each category from their own hue family', () => {
    const frames: [string, string, FunctionCategory][] = [
      ['runBacktest', 'file:///app/backtest.js', 'user'],
      ['parse', 'file:///app/node_modules/acorn/dist/acorn.js', 'dependency'],
      ['readFileSync', 'node:fs', 'node-internal'],
      ['(program)', '', 'v8-native'],
      ['(garbage collector)', '', 'gc'],
    ]
    for (const theme of ['light', 'dark'] as const) {
      const colors = frames.map(([name, url, expected]) => {
        expect(categorizeFrame(name, url)).toBe(expected)
        return categoryColor(categorizeFrame(name, url), name, theme)
      })
      expect(new Set(colors).size).toBe(frames.length)
      // Within ±6 degrees of the category's swatch, so categories never blur into each other.
      frames.forEach(([, , category], i) => {
        if (category === 'v8-native') return
        const d = Math.abs(hue(colors[i]!) - hue(categorySwatch(category, theme)))
        expect(Math.min(d, 360 - d)).toBeLessThanOrEqual(7)
      })
    }
  })

  it('gives a function the same colour every time, and neighbours different shades', () => {
    expect(categoryColor('user', 'applyUpdate', 'light')).toBe(categoryColor('user', 'applyUpdate', 'light'))
    expect(categoryColor('user', 'applyUpdate', 'light')).not.toBe(categoryColor('user', 'walkBook', 'light'))
    expect(categoryColor('user', 'applyUpdate', 'light')).not.toBe(categoryColor('user', 'applyUpdate', 'dark'))
  })

  it('uses darker boxes in the dark theme and lighter ones in the light theme', () => {
    for (const c of CATEGORIES)
      expect(relativeLuminance(categorySwatch(c, 'dark'))).toBeLessThan(relativeLuminance(categorySwatch(c, 'light')))
  })

  it('labels light boxes in dark text and dark boxes in light text', () => {
    for (const c of CATEGORIES) {
      expect(labelColorOn(categorySwatch(c, 'light'))).toBe('#1a1a1a')
      expect(labelColorOn(categorySwatch(c, 'dark'))).toBe('#f4f4f4')
    }
  })

  it('computes normal and dimmed colours per function, dimmed ones close to the background', () => {
    const functions = { length: 3, name: ['a', 'b', '(garbage collector)'], category: ['user', 'dependency', 'gc'] as FunctionCategory[] }
    for (const theme of ['light', 'dark'] as const) {
      const colors = computeFunctionColors(functions, theme)
      const bg = relativeLuminance(PALETTES[theme].background)
      for (let i = 0; i < functions.length; i++) {
        const c = colors.normal(i)
        expect(c).toMatch(/^#[0-9a-f]{6}$/)
        expect(Math.abs(relativeLuminance(colors.dimmed(i)) - bg)).toBeLessThan(Math.abs(relativeLuminance(c) - bg))
        // Asked again: the same string, kept.
        expect(colors.normal(i)).toBe(c)
      }
    }
  })

  it('gives each function the colour of its category and name, dimmed as mixColors does, the same as before the lazy rewrite', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `fn_${i.toString(36)}_${(i * 7919) % 1000}`)
    const category = names.map((_, i) => CATEGORIES[i % CATEGORIES.length]!)
    for (const theme of ['light', 'dark'] as const) {
      const colors = computeFunctionColors({ length: names.length, name: names, category }, theme)
      names.forEach((name, i) => {
        expect(colors.normal(i)).toBe(categoryColor(category[i]!, name, theme))
        expect(colors.dimmed(i)).toBe(mixColors(colors.normal(i), PALETTES[theme].background, PALETTES[theme].dimAmount))
      })
    }
    // Values of the string-parsing, compute-all implementation this replaced (same shades for the same names).
    expect(categoryColor('user', 'parseLoop', 'light')).toBe('#f58f63')
    expect(categoryColor('node-internal', 'fib', 'light')).toBe('#7db7e1')
    expect(categoryColor('gc', '(garbage collector)', 'light')).toBe('#ed99b5')
    expect(computeFunctionColors({ length: 1, name: ['fib'], category: ['node-internal'] }, 'dark').dimmed(0)).toBe('#212f3c')
  })

  it('mixes colours linearly per channel', () => {
    expect(mixColors('#000000', '#ffffff', 0.5)).toBe('#808080')
    expect(mixColors('#102030', '#102030', 0.7)).toBe('#102030')
    expect(mixColors('#ff0000', '#0000ff', 1)).toBe('#0000ff')
  })
})

describe('diff colours', () => {
  const channels = (hex: string) => [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16)) as [number, number, number]
  it('grows redder (slower) or bluer (faster) with the size of the change, grey within noise', () => {
    for (const theme of ['light', 'dark'] as const) {
      // How much a channel stands out from the other two: grey has none.
      const red = (i: number) => {
        const [r, g, b] = channels(diffColor('slower', i, theme))
        return r - (g + b) / 2
      }
      const blue = (i: number) => {
        const [r, g, b] = channels(diffColor('faster', i, theme))
        return b - (r + g) / 2
      }
      const neutral = diffColor('same', 1, theme)
      expect(Math.abs(red(0)) + Math.abs(blue(0))).toBeGreaterThan(0)
      expect(red(0.2)).toBeLessThan(red(0.6))
      expect(red(0.6)).toBeLessThan(red(1))
      expect(blue(0.2)).toBeLessThan(blue(1))
      const [r, g, b] = channels(neutral)
      expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(12)
      // Even the smallest real change is tinted, so it is not mistaken for an unchanged path.
      expect(diffColor('slower', 0.01, theme)).not.toBe(neutral)
      expect(diffColor('faster', 0.01, theme)).not.toBe(neutral)
      // Faster is never red, slower never blue.
      for (const i of [0.1, 0.5, 1]) {
        const [fr, , fb] = channels(diffColor('faster', i, theme))
        const [sr, , sb] = channels(diffColor('slower', i, theme))
        expect(fb).toBeGreaterThan(fr)
        expect(sr).toBeGreaterThan(sb)
      }
    }
  })

  it('quantizes intensities so a redraw reuses a few colour strings', () => {
    const colors = new Set(Array.from({ length: 1000 }, (_, i) => diffColor('slower', i / 999, 'light')))
    expect(colors.size).toBeLessThanOrEqual(8)
  })
})
