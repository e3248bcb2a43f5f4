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

/**
 * categorizeFrame with its answers kept by url, for an importer that categorizes every function of a
 * profile: below the checks of the name (V8's pseudo-frames all start with '(') and of the empty url, the
 * category depends on the url alone, and a profile's thousands of functions share a few hundred scripts.
 * In a fresh process this also keeps categorizeFrame off V8's optimizing compiler (one of the costliest
 * compilations of a 10 MB import, for a function called once per new function).
 */
export function createFrameCategorizer(): (functionName: string, url: string, codeType?: unknown) => FunctionCategory {
  const byUrl = new Map<string, FunctionCategory>()
  return (functionName, url, codeType) => {
    if (url === '' || functionName.startsWith('(')) return categorizeFrame(functionName, url, codeType)
    let category = byUrl.get(url)
    if (category === undefined) {
      category = categorizeFrame(functionName, url, codeType)
      byUrl.set(url, category)
    }
    return category
  }
}
