/**
 * The source behind the source view (WorkbenchApi `readSource`): the text of a script a run's CPU profile
 * names, read only when the url is one the profile itself lists, the file is a JavaScript or TypeScript
 * file, and its real path (symlinks resolved) lies under one of the allowed folders. Nothing is executed.
 */
import { createReadStream } from 'node:fs'
import { open, realpath, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SourceResult } from '../core/api/schemas.js'
import { unpackedPath } from '../profilers/launch.js'
import { isInside } from '../store/paths.js'
import { ServiceInputError } from './input-error.js'

/** Largest source file returned (2 MB): a source view of a bigger (bundled, minified) file is not readable anyway. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024

/**
 * Hotpath's own workloads, where the built-in workloads run from (dist/workloads beside dist/service, or the
 * TS sources under vitest), and the copy a packaged app unpacks for user-chosen runtimes.
 */
export const HOTPATH_WORKLOAD_FOLDERS: readonly string[] = (() => {
  const own = fileURLToPath(new URL('../workloads/', import.meta.url))
  const unpacked = unpackedPath(own)
  return unpacked === own ? [own] : [own, unpacked]
})()

/** The script files a source view shows; anything else a profile names (wasm, data) is refused. */
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i

export interface ReadSourceOptions {
  /** The CPU profile (a run's artifact) that must name `url`. */
  profilePath: string
  /** How the profile is named in messages ("cpu.cpuprofile of run …"). */
  profileLabel: string
  url: string
  /** 1-based line of the function (for the location of an unavailable source). */
  line?: number
  /** Folders a source may lie in (checked after realpath); missing folders are skipped. */
  folders: readonly string[]
  maxBytes?: number
  /** Stands in for a redacted `~` in stored urls (default: this user's home). */
  homeDir?: string
}

/** Reads a profile's script under the rules above; refusals throw ServiceInputError with what to do. */
export async function readProfileSource(options: ReadSourceOptions): Promise<SourceResult> {
  const { url } = options
  const maxBytes = options.maxBytes ?? MAX_SOURCE_BYTES
  const location = options.line ? `${url}:${options.line}` : url
  const unavailable = (reason: string): SourceResult => ({ status: 'unavailable', url, location, reason })

  const urls = await profileScriptUrls(options.profilePath)
  if (!urls.has(url)) {
    throw new ServiceInputError(`${options.profileLabel} names no script ${url}: only the scripts of the run's own profile can be opened.`)
  }
  const file = scriptPath(url, options.homeDir ?? os.homedir())
  if (file === null) return unavailable(`${url || 'This function'} is not a file on disk (Node's own code, eval or a native frame).`)
  if (!SCRIPT_FILE.test(file))
    throw new ServiceInputError(`${file} is not a JavaScript or TypeScript file; the source view shows only those.`)

  let real: string
  try {
    real = await realpath(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return unavailable(`No file at ${file} on this machine (moved or deleted since the run, or the run was made elsewhere).`)
    if (code === 'EACCES') return unavailable(`${file} cannot be read (permission denied).`)
    throw err
  }
  const roots = await realFolders(options.folders)
  if (!roots.some((root) => isInside(root, real))) {
    const linked = real !== path.resolve(file) ? ` (it is a link to ${real})` : ''
    const where = roots.length > 0 ? roots.join(', ') : 'no folder (none is configured)'
    throw new ServiceInputError(
      `${file}${linked} is outside the folders sources are read from: ${where}. Hotpath shows the source of the run's workload and its own workloads only.`,
    )
  }
  const info = await stat(real)
  if (!info.isFile()) return unavailable(`${real} is not a file.`)
  if (info.size > maxBytes)
    throw new ServiceInputError(`${real} is ${info.size} bytes, more than the ${maxBytes}-byte limit of the source view.`, 'too-large')
  const bytes = await readAtMost(real, maxBytes)
  if (bytes === null)
    throw new ServiceInputError(`${real} grew past the ${maxBytes}-byte limit of the source view while it was read.`, 'too-large')
  return {
    status: 'ok',
    url,
    path: real,
    text: new TextDecoder().decode(bytes),
    bytes: bytes.byteLength,
    language: /\.(?:[cm]?ts|tsx)$/i.test(real) ? 'typescript' : 'javascript',
  }
}

/** A script url as a local path: file:// urls and absolute paths (CommonJS); null for node:, eval, "" and the like. */
export function scriptPath(url: string, homeDir: string): string | null {
  // Runs stored redacted have `file://~/…` for the home folder of whoever made them; on this machine that is ours.
  if (url.startsWith('file://~/')) return path.join(homeDir, decodeURIComponent(url.slice('file://~/'.length)))
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url)
    } catch {
      return null
    }
  }
  if (url.startsWith('~/')) return path.join(homeDir, url.slice(2))
  return path.isAbsolute(url) ? url : null
}

/**
 * The folder a workload-file run's recorded path is relative to (its repository's top folder), found from
 * the profile's own url of that file; null when the run is not of a workload file or the profile does not name it.
 */
export function runWorkloadFolder(urls: ReadonlySet<string>, workloadFile: string | undefined, homeDir: string): string | null {
  if (!workloadFile || path.isAbsolute(workloadFile) || workloadFile.split('/').includes('..')) return null
  const tail = `/${workloadFile}`
  for (const url of urls) {
    const file = scriptPath(url, homeDir)?.split(path.sep).join('/')
    if (file?.endsWith(tail)) return file.slice(0, -tail.length) || null
  }
  return null
}

async function realFolders(folders: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const folder of folders) {
    const real = await realpath(folder).catch(() => null)
    if (real && !out.includes(real)) out.push(real)
  }
  return out
}

/** The file's bytes, or null when it holds more than `maxBytes`. */
async function readAtMost(file: string, maxBytes: number): Promise<Uint8Array | null> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(maxBytes + 1)
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return filled > maxBytes ? null : new Uint8Array(buffer.buffer, buffer.byteOffset, filled)
  } finally {
    await handle.close()
  }
}

/** Script urls of a profile, cached by path, size and mtime (profiles are written once, read many times). */
const urlCache = new Map<string, { key: string; urls: Set<string> }>()
const URL_CACHE_SIZE = 8

/**
 * Every `"url": "…"` value in a V8 JSON profile, scanned as a stream (profiles reach hundreds of MB, and
 * only the urls are needed: a full parse would cost seconds and the whole profile in memory).
 */
export async function profileScriptUrls(profilePath: string): Promise<Set<string>> {
  const info = await stat(profilePath)
  const key = `${info.size}:${info.mtimeMs}`
  const cached = urlCache.get(profilePath)
  if (cached?.key === key) return cached.urls
  const urls = new Set<string>()
  const pattern = /"url"\s*:\s*"((?:[^"\\]|\\.)*)"/g
  // A match may straddle two chunks: the unmatched tail (up to 64 KB, longer than any url) is carried over.
  const CARRY = 64 * 1024
  let carry = ''
  for await (const chunk of createReadStream(profilePath, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    const text = carry + (chunk as string)
    pattern.lastIndex = 0
    let end = 0
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      urls.add(decodeJsonString(m[1] as string))
      end = pattern.lastIndex
    }
    carry = text.slice(Math.max(end, text.length - CARRY))
  }
  if (urlCache.size >= URL_CACHE_SIZE) urlCache.delete(urlCache.keys().next().value as string)
  urlCache.set(profilePath, { key, urls })
  return urls
}

function decodeJsonString(body: string): string {
  if (!body.includes('\\')) return body
  try {
    return JSON.parse(`"${body}"`) as string
  } catch {
    return body
  }
}
