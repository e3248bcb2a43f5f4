/**
 * The app's routes and their URL hash form (#/runs/<id>). Hash routing works the same from file://
 * in Electron and from `hotpath serve`, and keeps the token query string untouched.
 */
import { type RunId, runIdSchema } from '../../../core/model/run.js'

export type Route =
  | { view: 'launch' }
  | { view: 'live' }
  | { view: 'runs' }
  | { view: 'run'; runId: RunId }
  | { view: 'environment' }
  /** Runs made on hardware targets, one column per machine. */
  | { view: 'targets' }
  /** Runs side by side, baseline first (`#/compare?ids=a,b,c`). */
  | { view: 'compare'; ids: RunId[] }
  /** Runs of one sweep group (`#/sweep?group=name`). */
  | { view: 'sweep'; group: string }
  /** A workload's history by commit (`#/trend?workload=w&variant=v&metric=p95&branch=main`); '' = not chosen. */
  | { view: 'trend'; workload: string; variant: string; metric: string; branch: string }

export const DEFAULT_ROUTE: Route = { view: 'launch' }

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
    case 'compare': {
      const ids = (query.get('ids') ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter((x) => runIdSchema.safeParse(x).success)
      return { view: 'compare', ids: [...new Set(ids)] }
    }
    case 'sweep':
      return { view: 'sweep', group: query.get('group') ?? '' }
    case 'trend':
      return { view: 'trend', workload: query.get('workload') ?? '', variant: query.get('variant') ?? '', metric: query.get('metric') ?? '', branch: query.get('branch') ?? '' }
    case 'runs': {
      if (rest.length === 0) return { view: 'runs' }
      const id = decodeURIComponent(rest.join('/'))
      return runIdSchema.safeParse(id).success ? { view: 'run', runId: id } : { view: 'runs' }
    }
    default:
      return DEFAULT_ROUTE
  }
}

export function formatHash(route: Route): string {
  switch (route.view) {
    case 'run':
      return `#/runs/${encodeURIComponent(route.runId)}`
    case 'compare':
      return `#/compare?ids=${route.ids.map(encodeURIComponent).join(',')}`
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
