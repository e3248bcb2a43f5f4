/**
 * The app's routes and their URL hash form (#/runs/<id>). Hash routing works the same from file://
 * in Electron and from `hotpath serve`, and keeps the token query string untouched.
 */
import { type RunId, runIdSchema } from '../../../core/model/run.js'
import type { ProfileTransform } from '../../../core/analysis/transforms.js'
import { profileTransformStackSchema } from '../../../core/api/schemas.js'

export type Route =
  | { view: 'launch' }
  | { view: 'live' }
  | { view: 'runs' }
  /** `transforms`: the CPU flame graph's and call tree's transform stack (`?tx=`, JSON), kept over reloads. */
  | { view: 'run'; runId: RunId; transforms?: ProfileTransform[] }
  | { view: 'environment' }
  /** The profile file just chosen or dropped, shown at once, then imported (state/slices/opened-file.ts). */
  | { view: 'open' }
  /** Runs made on hardware targets, one column per machine. */
  | { view: 'targets' }
  /** Runs side by side, baseline first (`#/compare?ids=a,b,c`). */
  | { view: 'compare'; ids: RunId[]; transforms?: ProfileTransform[] }
  /** Runs of one sweep group (`#/sweep?group=name`). */
  | { view: 'sweep'; group: string }
  /** A workload's history by commit (`#/trend?workload=w&variant=v&metric=p95&branch=main`); '' = not chosen. */
  | { view: 'trend'; workload: string; variant: string; metric: string; branch: string }

export const DEFAULT_ROUTE: Route = { view: 'launch' }

/** The `tx` query value: a transform stack the schema accepts, else none (a hand-edited or old link). */
function parseTransforms(query: URLSearchParams): { transforms?: ProfileTransform[] } {
  const text = query.get('tx')
  if (!text) return {}
  try {
    const parsed = profileTransformStackSchema.safeParse(JSON.parse(text))
    return parsed.success && parsed.data.length > 0 ? { transforms: parsed.data } : {}
  } catch {
    return {}
  }
}

/** `tx=<JSON>` for a non-empty stack, '' otherwise. */
function formatTransforms(transforms: readonly ProfileTransform[] | undefined): string {
  return transforms && transforms.length > 0 ? `tx=${encodeURIComponent(JSON.stringify(transforms))}` : ''
}

/** Parses `#/runs/<id>` and friends; anything unknown is the default route. */
export function parseHash(hash: string): Route {
  const [rawPath = '', search = ''] = hash.replace(/^#/, '').split('?', 2)
  const path = rawPath.replace(/^\/+|\/+$/g, '')
  const [head, ...rest] = path.split('/')
  const query = new URLSearchParams(search)
  switch (head) {
    case 'launch':
      return { view: 'launch' }
    case 'live':
      return { view: 'live' }
    case 'environment':
      return { view: 'environment' }
    case 'targets':
      return { view: 'targets' }
    case 'open':
      return { view: 'open' }
    case 'compare': {
      const ids = (query.get('ids') ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter((x) => runIdSchema.safeParse(x).success)
      return { view: 'compare', ids: [...new Set(ids)], ...parseTransforms(query) }
    }
    case 'sweep':
      return { view: 'sweep', group: query.get('group') ?? '' }
    case 'trend':
      return {
        view: 'trend',
        workload: query.get('workload') ?? '',
        variant: query.get('variant') ?? '',
        metric: query.get('metric') ?? '',
        branch: query.get('branch') ?? '',
      }
    case 'runs': {
      if (rest.length === 0) return { view: 'runs' }
      const id = decodeURIComponent(rest.join('/'))
      return runIdSchema.safeParse(id).success ? { view: 'run', runId: id, ...parseTransforms(query) } : { view: 'runs' }
    }
    default:
      return DEFAULT_ROUTE
  }
}

export function formatHash(route: Route): string {
  switch (route.view) {
    case 'run': {
      const tx = formatTransforms(route.transforms)
      return `#/runs/${encodeURIComponent(route.runId)}${tx ? `?${tx}` : ''}`
    }
    case 'compare': {
      const tx = formatTransforms(route.transforms)
      return `#/compare?ids=${route.ids.map(encodeURIComponent).join(',')}${tx ? `&${tx}` : ''}`
    }
    case 'sweep':
      return `#/sweep?group=${encodeURIComponent(route.group)}`
    case 'trend': {
      const q = new URLSearchParams()
      for (const k of ['workload', 'variant', 'metric', 'branch'] as const) if (route[k]) q.set(k, route[k])
      const text = q.toString()
      return text ? `#/trend?${text}` : '#/trend'
    }
    default:
      return `#/${route.view}`
  }
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatHash(a) === formatHash(b)
}
