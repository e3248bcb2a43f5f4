/**
 * Profiles in the formats Hotpath reads but does not store as they are (legacy `.cpuprofile` layout, Chrome
 * traces, speedscope, pprof, V8 tick logs): converted through core/import/index.ts into the modern
 * `.cpuprofile` or `.heapprofile` a run keeps, so every reader of runs (top, the UI, compare, export) sees
 * one format. Modern `.cpuprofile`/`.heapprofile` files and heap snapshots are left to the usual import
 * path (which copies them without loading them whole).
 */
import { open, stat, readFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { FORMAT_NAMES, MAX_CONVERTED_BYTES, ProfileFormatError, convertProfileBytes, sniffFormatByName } from '../core/import/index.js'

export interface ForeignProfile {
  kind: 'cpuprofile' | 'heapprofile'
  /** The converted profile as JSON. */
  json: string
  /** What it was converted from, for the artifact's description. */
  description: string
}

/** True when the file is worth converting: a name or a first few bytes that are not a modern V8 profile. */
async function mightBeForeign(file: string, name: string): Promise<boolean> {
  const byName = sniffFormatByName(name)
  if (byName === 'pprof' || byName === 'speedscope') return true
  if (byName === 'heapsnapshot' || /\.(tgz|tar\.gz)$/i.test(name)) return false
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(4096)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    const text = head.subarray(0, bytesRead).toString('utf8').replace(/\s+/g, '')
    if (head[0] === 0x1f && head[1] === 0x8b) return false
    if (text.startsWith('{"nodes":[{"id":') || text.startsWith('{"snapshot":{')) return false
    if (text.startsWith('{"head":{"callFrame"') && /"selfSize":/.test(text)) return false
    return text.startsWith('{') || text.startsWith('[') || head[0] === 0x0a
  } finally {
    await handle.close()
  }
}

/**
 * The converted profile of a file in a foreign format, or undefined when the file is a modern V8 profile,
 * a heap snapshot or a bundle (the caller imports those as before). Throws a ProfileFormatError for files
 * that are neither (the message names the format detected).
 */
export async function convertForeignProfile(
  file: string,
  name: string,
  options: { profile?: string } = {},
): Promise<ForeignProfile | undefined> {
  if (!(await mightBeForeign(file, name))) return undefined
  const { size } = await stat(file)
  if (size > MAX_CONVERTED_BYTES)
    throw new ProfileFormatError(
      `${name} is ${(size / 1024 ** 2).toFixed(0)} MB; profiles in this format are read up to ${MAX_CONVERTED_BYTES / 1024 ** 2} MB`,
    )
  const converted = convertProfileBytes(name, await readFile(file), {
    gunzip: (b) => gunzipSync(b),
    ...(options.profile ? { profile: options.profile } : {}),
  })
  // V8's own formats with keys in another order, or a heap profile without ids: the usual path reads them.
  if (converted.sourceFormat === 'cpuprofile' || converted.sourceFormat === 'heapprofile') return undefined
  const chosen = converted.choices.find((c) => c.key === converted.chosen)
  const what = FORMAT_NAMES[converted.sourceFormat]
  const which = converted.choices.length > 1 ? `, ${chosen?.label ?? converted.chosen} (1 of ${converted.choices.length})` : ''
  return {
    kind: converted.kind,
    json: JSON.stringify(converted.raw),
    description: `converted from ${what}${which} in ${path.basename(name)}`,
  }
}
