/**
 * Colours for canvas charts, read from the CSS custom properties of the current theme (a canvas does
 * not follow CSS by itself), and a hook that re-renders when the system switches light/dark.
 */
import { useSyncExternalStore } from 'react'

const QUERY = '(prefers-color-scheme: dark)'

export type ColorScheme = 'light' | 'dark'

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia?.(QUERY)
  media?.addEventListener('change', onChange)
  return () => media?.removeEventListener('change', onChange)
}

export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(
    subscribe,
    () => (window.matchMedia?.(QUERY).matches ? 'dark' : 'light'),
    () => 'light',
  )
}

export interface ChartTheme {
  text: string
  muted: string
  grid: string
  /** Series colours by name: cpu, rss, heap, ops, bar, marker, gc (GC marks on timelines). */
  series: Record<'cpu' | 'rss' | 'heap' | 'ops' | 'bar' | 'marker' | 'gc', string>
  font: string
}

export function readChartTheme(el: Element = document.documentElement): ChartTheme {
  const css = getComputedStyle(el)
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback
  return {
    text: v('--text', '#18181b'),
    muted: v('--text-muted', '#71717a'),
    grid: v('--chart-grid', 'rgba(128,128,128,0.15)'),
    series: {
      cpu: v('--chart-cpu', '#6366f1'),
      rss: v('--chart-rss', '#0ea5e9'),
      heap: v('--chart-heap', '#f59e0b'),
      ops: v('--chart-ops', '#10b981'),
      bar: v('--chart-bar', '#6366f1'),
      marker: v('--chart-marker', '#dc2626'),
      gc: v('--chart-gc', '#db2777'),
    },
    font: `11px ${v('--font-ui', 'system-ui, sans-serif')}`,
  }
}

/** A CSS colour with alpha, for area fills under lines ("#6366f1" -> "#6366f11f"). */
export function withAlpha(color: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    .toString(16)
    .padStart(2, '0')
  if (/^#[0-9a-f]{6}$/i.test(color)) return `${color}${a}`
  if (/^#[0-9a-f]{3}$/i.test(color)) return `#${[...color.slice(1)].map((c) => c + c).join('')}${a}`
  return color
}
