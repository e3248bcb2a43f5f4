/**
 * Where the external viewers of a run's artifacts live. In browser mode (`hotpath serve`) the server
 * hosts them: speedscope's built app at /speedscope/ (it fetches the profile from /api/artifacts/ with the
 * same cookie) and 0x's page at /view/0x/<runId> under a sandboxing policy of its own. The desktop app
 * has no server: there the renderer saves the file instead (null here means "no viewer, download it").
 */
import type { RunId } from '../../../core/model/run.js'

/** True when the page runs in a browser against `hotpath serve` (no Electron bridge). */
export function hasViewerServer(): boolean {
  return typeof window !== 'undefined' && !window.workbench
}

function artifactPath(runId: RunId, file: string): string {
  return `/api/artifacts/${encodeURIComponent(runId)}/${file.split('/').map(encodeURIComponent).join('/')}`
}

/** speedscope opened on a run's profile (`#profileURL=` and `title=` are speedscope's own hash parameters). */
export function speedscopeUrl(runId: RunId, file: string, title: string): string | null {
  if (!hasViewerServer()) return null
  const profile = new URL(artifactPath(runId, file), window.location.origin).href
  return `/speedscope/#profileURL=${encodeURIComponent(profile)}&title=${encodeURIComponent(title)}`
}

/** 0x's flamegraph page of a run. */
export function zeroXUrl(runId: RunId): string | null {
  return hasViewerServer() ? `/view/0x/${encodeURIComponent(runId)}` : null
}
