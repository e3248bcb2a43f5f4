// Builds the React renderer (renderer/ -> dist/renderer/). Relative asset paths (base './') so the
// same build loads from file:// in Electron and from `hotpath serve`; the dev server stays on 127.0.0.1.
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { type Plugin, defineConfig } from 'vite'

const root = fileURLToPath(new URL('./renderer', import.meta.url))
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url))

/**
 * index.html carries the strict production CSP. The dev server needs two things it forbids: the React
 * refresh preamble is an inline module script, and HMR talks over a WebSocket. Only in dev do we relax it.
 */
function devCsp(): Plugin {
  return {
    name: 'hotpath-dev-csp',
    apply: 'serve',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) =>
        html.replace(
          /(<meta http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/,
          (_m, open: string, policy: string, close: string) => {
            const relaxed = policy
              .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
              .replace(/connect-src ([^;]*)/, 'connect-src $1 ws://127.0.0.1:* ws://localhost:*')
            return `${open}${relaxed}${close}`
          },
        ),
    },
  }
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), devCsp()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // uPlot and React dominate; one chunk over 500 kB is expected for a desktop app loaded from disk.
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1' },
})
