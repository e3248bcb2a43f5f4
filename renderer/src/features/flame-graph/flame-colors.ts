/**
 * Colours of the flame graphs: a palette per theme, box colours by function category (with a small
 * per-function variation so neighbours stay apart), dimmed colours for search misses, and the
 * differential colours (grown, shrunk, new, gone). Pure functions; colours are `#rrggbb` strings.
 */
import type { FunctionCategory } from '../../../../core/model/call-tree.js'

export type FlameTheme = 'light' | 'dark'

interface Hsl {
  h: number
  s: number
  l: number
}

/** Everything the drawing needs besides the box colours. */
export interface FlamePalette {
  theme: FlameTheme
  background: string
  /** Label text on a box. */
  text: string
  /** Label text on a dimmed box. */
  textDimmed: string
  /** Runs of boxes narrower than a pixel, drawn as one. */
  merged: string
  mergedDimmed: string
  selectedOutline: string
  hoverOutline: string
  /** How far dimmed boxes are mixed into the background, in [0, 1]. */
  dimAmount: number
}

export const PALETTES: Record<FlameTheme, FlamePalette> = {
  light: {
    theme: 'light',
    background: '#ffffff',
    text: '#1a1a1a',
    textDimmed: '#9a9a9a',
    merged: '#c9c4bd',
    mergedDimmed: '#efedea',
    selectedOutline: '#0b57d0',
    hoverOutline: '#202124',
    dimAmount: 0.72,
  },
  dark: {
    theme: 'dark',
    background: '#1b1c1f',
    text: '#f1f1f1',
    textDimmed: '#7d7d80',
    merged: '#55524e',
    mergedDimmed: '#2c2c2f',
    selectedOutline: '#8ab4f8',
    hoverOutline: '#f1f1f1',
    dimAmount: 0.7,
  },
}

/**
 * Base colours by category. User code gets the classic warm flame-graph hue (it is what the reader
 * acts on), dependencies a yellow-green, Node internals a blue, V8/native a grey and GC a pink, so GC
 * and native time stand out from JavaScript at a glance.
 */
const CATEGORY_BASE: Record<FlameTheme, Record<FunctionCategory, Hsl>> = {
  light: {
    user: { h: 24, s: 88, l: 68 },
    dependency: { h: 78, s: 52, l: 62 },
    'node-internal': { h: 204, s: 62, l: 72 },
    'v8-native': { h: 220, s: 10, l: 76 },
    gc: { h: 338, s: 70, l: 74 },
  },
  dark: {
    user: { h: 24, s: 62, l: 40 },
    dependency: { h: 78, s: 40, l: 34 },
    'node-internal': { h: 206, s: 45, l: 38 },
    'v8-native': { h: 220, s: 8, l: 38 },
    gc: { h: 338, s: 48, l: 40 },
  },
}

/** Labels for legends and tooltips. */
export const CATEGORY_LABELS: Record<FunctionCategory, string> = {
  user: 'User code',
  dependency: 'Dependency',
  'node-internal': 'Node internals',
  'v8-native': 'V8 / native',
  gc: 'GC',
}

function hslToHex({ h, s, l }: Hsl): string {
  const sat = s / 100
  const light = l / 100
  const a = sat * Math.min(light, 1 - light)
  const channel = (n: number): string => {
    const k = (n + h / 30) % 12
    const value = light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0')
  }
  return `#${channel(0)}${channel(8)}${channel(4)}`
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** Mixes `a` towards `b` by `t` in [0, 1]. */
export function mixColors(a: string, b: string, t: number): string {
  const ca = hexToRgb(a)
  const cb = hexToRgb(b)
  const out = ca.map((v, i) => Math.round(v + (cb[i]! - v) * t))
  return `#${out.map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

/** Relative luminance (WCAG 2), to pick dark or light label text for a box colour. */
export function relativeLuminance(hex: string): number {
  const lin = (v: number): number => {
    const c = v / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const [r, g, b] = hexToRgb(hex)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** The more readable of near-black and near-white text on `background` (higher WCAG contrast ratio). */
export function labelColorOn(background: string): string {
  const l = relativeLuminance(background)
  // Contrast with black is (l + 0.05) / 0.05 and with white 1.05 / (l + 0.05); they are equal at l ≈ 0.179.
  return l > 0.179 ? '#1a1a1a' : '#f4f4f4'
}

/** A small stable hash of a string (FNV-1a), so a function keeps its shade across runs and redraws. */
function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The colour of a function of `category` called `name`: the category's hue, its shade varied by name. */
export function categoryColor(category: FunctionCategory, name: string, theme: FlameTheme): string {
  const base = CATEGORY_BASE[theme][category] ?? CATEGORY_BASE[theme]['v8-native']
  const h = hashString(name)
  // ±6 points of lightness and ±6 degrees of hue: enough to tell neighbours apart, not enough to blur categories.
  const dl = ((h & 0xff) / 255 - 0.5) * 12
  const dh = (((h >>> 8) & 0xff) / 255 - 0.5) * 12
  return hslToHex({ h: (base.h + dh + 360) % 360, s: base.s, l: Math.min(92, Math.max(12, base.l + dl)) })
}

/** The plain colour of a category (legends). */
export function categorySwatch(category: FunctionCategory, theme: FlameTheme): string {
  return hslToHex(CATEGORY_BASE[theme][category])
}

/** Colours per function of a table: normal and dimmed (search misses). Computed once per tree and theme. */
export interface FunctionColors {
  normal: string[]
  dimmed: string[]
}

export function computeFunctionColors(
  functions: { length: number; name: readonly string[]; category: readonly FunctionCategory[] },
  theme: FlameTheme,
): FunctionColors {
  const palette = PALETTES[theme]
  const normal = new Array<string>(functions.length)
  const dimmed = new Array<string>(functions.length)
  for (let f = 0; f < functions.length; f++) {
    const c = categoryColor(functions.category[f] ?? 'v8-native', functions.name[f] ?? '', theme)
    normal[f] = c
    dimmed[f] = mixColors(c, palette.background, palette.dimAmount)
  }
  return { normal, dimmed }
}

/** How a call path changed between a baseline and a candidate, for colouring. */
export type DiffKind = 'grown' | 'shrunk' | 'new' | 'gone' | 'same'

export interface DiffChange {
  kind: DiffKind
  /** How strongly to colour, in [0, 1]: the relative change, |c − b| / max(b, c). */
  intensity: number
}

/** Default noise floor: changes under 0.2 points of the profile total are drawn as unchanged. */
export const DIFF_MIN_DELTA = 0.002

/**
 * Classifies a box from its total share on each side (each a fraction of its own run's total, so runs
 * of different lengths compare). A call path present on one side only is `new` or `gone` at full
 * intensity. Otherwise the colour scales with the relative change, so a frame that doubled is strongly
 * red whatever its size; changes under `minDelta` of the total are sampling noise and stay neutral.
 */
export function classifyDiff(baseline: number, candidate: number, minDelta = DIFF_MIN_DELTA): DiffChange {
  if (baseline <= 0 && candidate > 0) return { kind: 'new', intensity: 1 }
  if (candidate <= 0 && baseline > 0) return { kind: 'gone', intensity: 1 }
  const delta = candidate - baseline
  if (!(Math.abs(delta) >= minDelta)) return { kind: 'same', intensity: 0 }
  const intensity = Math.min(1, Math.abs(delta) / Math.max(baseline, candidate))
  return { kind: delta > 0 ? 'grown' : 'shrunk', intensity }
}

const DIFF_COLORS: Record<FlameTheme, { neutral: string; grown: string; shrunk: string; new: string; gone: string }> = {
  // Gone is the far end of shrunk (−100%): a deep navy, darker than any shade of shrunk so it reads apart.
  light: { neutral: '#e3e1de', grown: '#e0352b', shrunk: '#3b7be0', new: '#8e3fcf', gone: '#14306b' },
  dark: { neutral: '#3d3d41', grown: '#e5483e', shrunk: '#5a93f0', new: '#a35ee0', gone: '#22407e' },
}

/** Intensity steps: colours are quantized so a redraw reuses a few dozen strings instead of parsing new ones. */
const DIFF_STEPS = 8

/**
 * The colour of a change: neutral grey mixed towards red (grown) or blue (shrunk) by intensity, purple
 * for new paths, a deep blue for gone ones. Small changes still get at least one step of tint.
 */
export function diffColor(change: DiffChange, theme: FlameTheme): string {
  const c = DIFF_COLORS[theme]
  switch (change.kind) {
    case 'same':
      return c.neutral
    case 'new':
      return c.new
    case 'gone':
      return c.gone
    default: {
      const step = Math.max(1, Math.round(Math.min(1, change.intensity) * DIFF_STEPS))
      return mixColors(c.neutral, change.kind === 'grown' ? c.grown : c.shrunk, 0.25 + (0.75 * step) / DIFF_STEPS)
    }
  }
}

/** Swatches for the diff legend. */
export function diffSwatch(kind: DiffKind, theme: FlameTheme): string {
  return diffColor({ kind, intensity: 1 }, theme)
}
