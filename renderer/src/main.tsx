/**
 * Renderer entry: creates the API client (the Electron bridge or HTTP/WebSocket; an in-memory fake with
 * `?fake=1` in dev only), the store, the event and URL wiring, then renders the app.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createApiClient } from './api-client.js'
import { App } from './App.js'
import { bindRouteToLocation } from './lib/hash-sync.js'
import { parseHash } from './lib/route.js'
import type { WorkbenchClient } from './state/client.js'
import { connectStoreToEvents } from './state/events.js'
import { WorkbenchProvider, createWorkbenchStore } from './state/store.js'
import './styles/app.css'

async function createClient(): Promise<WorkbenchClient> {
  const params = new URLSearchParams(window.location.search)
  // `import.meta.env.DEV` is false in builds, so the branch and the fake (renderer/dev/) never ship.
  if (import.meta.env.DEV && params.has('fake')) {
    const { createFakeWorkbench } = await import('../dev/fake-workbench.js')
    const fake = createFakeWorkbench({ runs: Number(params.get('runs') ?? 40), samplesPerRun: Number(params.get('samples') ?? 2000) })
    // Reachable from the devtools console, e.g. hotpathFake.setConnection('reconnecting').
    Object.assign(window, { hotpathFake: fake })
    return fake
  }
  return createApiClient()
}

async function boot(): Promise<void> {
  const rootElement = document.getElementById('root')
  if (!rootElement) throw new Error('index.html has no #root element')
  const api = await createClient()
  const store = createWorkbenchStore(api, { initialRoute: parseHash(window.location.hash) })
  connectStoreToEvents(store, api)
  bindRouteToLocation(store)
  void store.getState().loadWorkloads()
  void store.getState().loadRuns()
  createRoot(rootElement).render(
    <StrictMode>
      <WorkbenchProvider store={store} api={api}>
        <App />
      </WorkbenchProvider>
    </StrictMode>,
  )
}

boot().catch((err: unknown) => {
  // Nothing else can show an error before React is up: write it into the page.
  const pre = document.createElement('pre')
  pre.className = 'boot-error'
  pre.textContent = `Hotpath could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
  document.body.replaceChildren(pre)
})
