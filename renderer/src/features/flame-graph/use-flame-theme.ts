/**
 * The theme the flame views draw with: the one passed in, else the system's light or dark preference
 * (followed live, since a canvas does not pick up CSS colour changes by itself).
 */
import { useSyncExternalStore } from 'react'
import type { FlameTheme } from './flame-colors.js'

const QUERY = '(prefers-color-scheme: dark)'

function subscribe(onChange: () => void): () => void {
  if (typeof window === 'undefined' || !window.matchMedia) return () => {}
  const media = window.matchMedia(QUERY)
  media.addEventListener('change', onChange)
  return () => media.removeEventListener('change', onChange)
}

function systemTheme(): FlameTheme {
  return typeof window !== 'undefined' && window.matchMedia?.(QUERY).matches ? 'dark' : 'light'
}

export function useFlameTheme(theme: FlameTheme | undefined): FlameTheme {
  const system = useSyncExternalStore(subscribe, systemTheme, () => 'light' as FlameTheme)
  return theme ?? system
}
