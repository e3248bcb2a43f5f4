/**
 * Sorts profile frames into categories (user code, dependencies, Node internals, V8/native, GC) from
 * their function name and script url, so views can colour and filter them.
 */
import type { FunctionCategory } from '../model/call-tree.js'

export type { FunctionCategory }

export const FUNCTION_CATEGORIES: readonly FunctionCategory[] = ['user', 'dependency', 'node-internal', 'v8-native', 'gc']

/** V8's pseudo-frames: they stand for states of the VM, not for functions. */
const V8_META_FRAMES = new Set(['(root)', '(program)', '(idle)'])

/**
 * Node < 16 named its built-in modules without a scheme (`internal/modules/cjs/loader.js`, `events.js`):
 * a bare relative name that is not a path or url can only be one of those.
 */
function isBareBuiltinName(url: string): boolean {
  return !url.includes('/') ? /^[a-z_]+\.js$/.test(url) : url.startsWith('internal/')
}

/**
 * The category of one frame, from its function name and script url, and the `codeType` that Chrome's
 * traces (and DevTools' saved profiles) give each callFrame: `JS` for JavaScript, `other` for V8's own
 * frames. A frame without a url is V8's (a builtin such as JSON.parse) unless its codeType says it is
 * JavaScript: a script without a url (evaluated from the console or by a test driver) is the program's own.
 */
export function categorizeFrame(functionName: string, url: string, codeType?: unknown): FunctionCategory {
  if (functionName === '(garbage collector)') return 'gc'
  if (V8_META_FRAMES.has(functionName)) return 'v8-native'
  if (url === '') return codeType === 'JS' ? 'user' : 'v8-native'
  if (url.startsWith('native ')) return 'v8-native'
  if (url.startsWith('node:') || isBareBuiltinName(url)) return 'node-internal'
  if (/[\\/]node_modules[\\/]/.test(url)) return 'dependency'
  return 'user'
}
