/**
 * Where the run store lives: --store DIR, else HOTPATH_HOME, else the OS's app-data folder
 * (~/.local/share/hotpath on Linux, ~/Library/Application Support/Hotpath on macOS, %APPDATA%\Hotpath on Windows).
 */
import os from 'node:os'
import path from 'node:path'

export function defaultStoreDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? os.homedir()
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Hotpath')
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Hotpath')
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share')
  return path.join(dataHome, 'hotpath')
}

export function resolveStoreDir(opts: { flag?: string | undefined; env: NodeJS.ProcessEnv; cwd?: string }): string {
  const cwd = opts.cwd ?? process.cwd()
  if (opts.flag) return path.resolve(cwd, opts.flag)
  if (opts.env.HOTPATH_HOME) return path.resolve(cwd, opts.env.HOTPATH_HOME)
  return defaultStoreDir(opts.env)
}

/** Resolves a relative artifact path inside a folder; throws when it would leave it. */
export function resolveInside(root: string, relative: string): string {
  if (relative.includes('\0')) throw new Error(`invalid path: ${JSON.stringify(relative)}`)
  if (path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) throw new Error(`absolute paths are not allowed: ${relative}`)
  const resolved = path.resolve(root, relative)
  const rel = path.relative(root, resolved)
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`path leaves its folder: ${relative}`)
  return resolved
}

/**
 * Whether `file` lies inside `root` (both absolute; realpath them first where links matter). The folder
 * itself counts only with `allowRoot`.
 */
export function isInside(root: string, file: string, options: { allowRoot?: boolean } = {}): boolean {
  const rel = path.relative(root, file)
  if (rel === '') return options.allowRoot === true
  return !rel.startsWith('..') && !path.isAbsolute(rel)
}
