/**
 * Keeps the store's route and the URL hash in step, both ways, so Back/Forward and reloads work and a
 * run's detail has a link. The store stays DOM-free; this is the one place that touches location.
 */
import type { WorkbenchStore } from '../state/store.js'
import { formatHash, parseHash } from './route.js'

export function bindRouteToLocation(store: WorkbenchStore, win: Window = window): () => void {
  const onHashChange = (): void => store.getState().navigate(parseHash(win.location.hash))
  win.addEventListener('hashchange', onHashChange)
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.route === previous.route) return
    const hash = formatHash(state.route)
    if (win.location.hash !== hash) win.location.hash = hash
  })
  return () => {
    win.removeEventListener('hashchange', onHashChange)
    unsubscribe()
  }
}
