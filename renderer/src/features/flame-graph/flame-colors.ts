/**
 * Colours of the flame graphs: a palette per theme, box colours by function category (with a small
 * per-function variation so neighbours stay apart), dimmed colours for search misses, and the
 * differential colours (grown, shrunk, new, gone). Pure functions; colours are `#rrggbb` strings.
 */
import type { NodeChangeKind } from '../../../../core/compare/diff-nodes.js'
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

/** Two hex digits per byte value, so building a colour string parses and pads nothing. */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** An HSL colour as 0xrrggbb. */
function hslToRgb(h: number, s: number, l: number): number {
  const sat = s / 100
  const light = l / 100
  const a = sat * Math.min(light, 1 - light)
  const channel = (n: number): number => {
    const k = (n + h / 30) % 12
    return Math.round((light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255)
  }
  return (channel(0) << 16) | (channel(8) << 8) | channel(4)
}

const rgbHex = (rgb: number): string => `#${HEX2[(rgb >> 16) & 255]}${HEX2[(rgb >> 8) & 255]}${HEX2[rgb & 255]}`

function hslToHex({ h, s, l }: Hsl): string {
  return rgbHex(hslToRgb(h, s, l))
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** `a` (0xrrggbb) mixed towards `b` by `t`, as mixColors rounds it. */
function mixRgb(a: number, b: number, t: number): number {
  const mix = (shift: number): number => {
    const v = (a >> shift) & 255
    return Math.round(v + (((b >> shift) & 255) - v) * t)
  }
  return (mix(16) << 16) | (mix(8) << 8) | mix(0)
}

/** Mixes `a` towards `b` by `t` in [0, 1]. */
export function mixColors(a: string, b: string, t: number): string {
  return rgbHex(mixRgb(Number.parseInt(a.slice(1), 16), Number.parseInt(b.slice(1), 16), t))
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

/** The shade of `category` for a name hashed to `h`, as 0xrrggbb. */
function shadeRgb(base: Hsl, h: number): number {
  // ±6 points of lightness and ±6 degrees of hue: enough to tell neighbours apart, not enough to blur categories.
  const dl = ((h & 0xff) / 255 - 0.5) * 12
  const dh = (((h >>> 8) & 0xff) / 255 - 0.5) * 12
  return hslToRgb((base.h + dh + 360) % 360, base.s, Math.min(92, Math.max(12, base.l + dl)))
}

const baseOf = (category: FunctionCategory, theme: FlameTheme): Hsl => CATEGORY_BASE[theme][category] ?? CATEGORY_BASE[theme]['v8-native']

/** The colour of a function of `category` called `name`: the category's hue, its shade varied by name. */
export function categoryColor(category: FunctionCategory, name: string, theme: FlameTheme): string {
  return rgbHex(shadeRgb(baseOf(category, theme), hashString(name)))
}

/** The plain colour of a category (legends). */
export function categorySwatch(category: FunctionCategory, theme: FlameTheme): string {
  return hslToHex(CATEGORY_BASE[theme][category])
}

/** Colours per function of a table: normal and dimmed (search misses), for one tree and theme. */
export interface FunctionColors {
  normal(fn: number): string
  dimmed(fn: number): string
}

/**
 * Every function's colours, each worked out the first time it is asked for (a box drawn, a tooltip) and
 * kept: a 91 MB profile has 50,000 functions, and colouring them all before the first paint was a long
 * task on the main thread (~90 ms in Chromium) while a first frame draws a few thousand boxes.
 */
export function computeFunctionColors(
  functions: { length: number; name: readonly string[]; category: readonly FunctionCategory[] },
  theme: FlameTheme,
): FunctionColors {
  const palette = PALETTES[theme]
  const background = Number.parseInt(palette.background.slice(1), 16)
  const normal = new Array<string | undefined>(functions.length)
  const dimmed = new Array<string | undefined>(functions.length)
  const colour = (fn: number): number => shadeRgb(baseOf(functions.category[fn] ?? 'v8-native', theme), hashString(functions.name[fn] ?? ''))
  return {
    normal: (fn) => (normal[fn] ??= rgbHex(colour(fn))),
    dimmed: (fn) => (dimmed[fn] ??= rgbHex(mixRgb(colour(fn), background, palette.dimAmount))),
  }
}

/** How a call path's self time changed, for colouring (core/compare/diff-nodes.ts classifies). */
export type DiffKind = NodeChangeKind

const DIFF_COLORS: Record<FlameTheme, { neutral: string; slower: string; faster: string; hatch: string }> = {
  light: { neutral: '#dedcd8', slower: '#d7301f', faster: '#2166ac', hatch: 'rgba(255,255,255,0.55)' },
  dark: { neutral: '#45454b', slower: '#ef5a48', faster: '#4f8fdc', hatch: 'rgba(0,0,0,0.45)' },
}

/** Intensity steps: colours are quantized so a redraw reuses a few dozen strings instead of parsing new ones. */
const DIFF_STEPS = 8

/**
 * A diverging scale (ColorBrewer RdBu ends): neutral grey for changes within noise, mixed towards red
 * (slower) or blue (faster) by intensity in [0, 1], in DIFF_STEPS steps.
 */
export function diffColor(kind: DiffKind, intensity: number, theme: FlameTheme): string {
  const c = DIFF_COLORS[theme]
  if (kind === 'same') return c.neutral
  const step = Math.max(1, Math.round(Math.min(1, intensity) * DIFF_STEPS))
  return mixColors(c.neutral, kind === 'slower' ? c.slower : c.faster, step / DIFF_STEPS)
}

/** The stripe colour drawn over boxes of removed code. */
export function hatchColor(theme: FlameTheme): string {
  return DIFF_COLORS[theme].hatch
}

/** Swatches for the diff legend: a kind at full strength, or at a given intensity. */
export function diffSwatch(kind: DiffKind, theme: FlameTheme, intensity = 1): string {
  return diffColor(kind, intensity, theme)
}
