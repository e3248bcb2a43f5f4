/**
 * Replaces home-directory prefixes in script urls and text (`/home/alice/`, `/Users/alice/`,
 * `C:\Users\alice\`, their `file://` forms, and a given home folder) with `~/`, so exported profiles do
 * not carry user names. Exports redact by default; `--no-redact` opts out.
 */
import type { CpuProfileRaw } from '../import/cpuprofile.js'
import type { HeapProfileNode, HeapProfileRaw } from '../import/heap-profile.js'

const NAME = String.raw`[^\\/\s"'<>|:*?]+`
/**
 * Home folders on Linux, macOS and Windows. A match must start a path: after `file://` or after a
 * character that cannot be part of a path (so `/srv/home/x/` is left alone). In JSON text, Windows
 * backslashes are doubled; the backreference accepts either separator style, used consistently.
 */
const HOME_PATTERNS: RegExp[] = [
  new RegExp(String.raw`(?:file:///|(?<![\w.~/\\-]))[A-Za-z]:(\\\\|\\|/)Users\1${NAME}\1`, 'gi'),
  // ':' may not precede: `C:/Users/x/` is the Windows form above, not a POSIX /Users folder.
  new RegExp(String.raw`(?:file://|(?<![\w.~/\\:-]))/(?:home|Users)/${NAME}/`, 'g'),
]

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The patterns for one explicit home folder (e.g. os.homedir(), which may be /root or /var/lib/x). */
function homePatterns(home: string | undefined): RegExp[] {
  if (!home) return []
  const trimmed = home.replace(/[\\/]+$/, '')
  // A home of "/" or a bare drive would redact every path.
  if (trimmed === '' || /^[A-Za-z]:$/.test(trimmed)) return []
  const forward = trimmed.replace(/\\/g, '/')
  const variants = new Set([trimmed, forward, trimmed.replace(/\\/g, '\\\\')])
  return [...variants].map((v) => {
    const sep = v.includes('\\\\') ? '\\\\\\\\' : v.includes('\\') ? '\\\\' : '/'
    const fileForm = v.startsWith('/') ? 'file://' : 'file:///'
    return new RegExp(`(?:${escapeRegExp(fileForm)}|(?<![\\w.~/\\\\-]))${escapeRegExp(v)}${sep}`, 'g')
  })
}

function redactText(text: string, extra: RegExp[]): string {
  let out = text
  for (const re of [...extra, ...HOME_PATTERNS]) out = out.replace(re, '~/')
  return out
}

/**
 * Replaces home-directory prefixes with `~/`: in a text (any occurrence), or in every script url of a CPU
 * or allocation profile (a redacted copy; the input is not changed). `home` adds one more folder to
 * recognize, such as os.homedir() when it is not under /home, /Users or C:\Users.
 */
export function redactPaths(input: string, home?: string): string
export function redactPaths(input: CpuProfileRaw, home?: string): CpuProfileRaw
export function redactPaths(input: HeapProfileRaw, home?: string): HeapProfileRaw
export function redactPaths(input: string | CpuProfileRaw | HeapProfileRaw, home?: string): string | CpuProfileRaw | HeapProfileRaw {
  const extra = homePatterns(home)
  if (typeof input === 'string') return redactText(input, extra)
  if ('nodes' in input) {
    return {
      ...input,
      nodes: input.nodes.map((node) => ({ ...node, callFrame: { ...node.callFrame, url: redactText(node.callFrame.url, extra) } })),
    }
  }
  // Iterative copy: allocation stacks can be deeper than the JS call stack allows recursing.
  const copy = (node: HeapProfileNode): HeapProfileNode => ({
    ...node,
    callFrame: { ...node.callFrame, url: redactText(node.callFrame.url, extra) },
    children: [],
  })
  const head = copy(input.head)
  const stack: [HeapProfileNode, HeapProfileNode][] = [[input.head, head]]
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [HeapProfileNode, HeapProfileNode]
    for (const child of from.children) {
      const c = copy(child)
      to.children.push(c)
      stack.push([child, c])
    }
  }
  return { ...input, head }
}
