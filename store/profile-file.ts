/**
 * Checks a profile file on disk with the one full validator (core/import/validate.ts): CPU and sampling
 * heap profiles are parsed and validated whole; heap snapshots are streamed through the snapshot parser,
 * which checks every table against the header (so a snapshot of any size is validated without holding
 * its text). Throws a ProfileFormatError whose message starts with the file's name.
 */
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createHeapSnapshotParser } from '../core/import/heap-snapshot.js'
import { ProfileFormatError, validateCpuProfile, validateHeapProfile } from '../core/import/validate.js'

export type ProfileFileKind = 'cpuprofile' | 'heapprofile' | 'heapsnapshot'

/** JSON profiles larger than this are refused (V8's string limit is ~512 MB). */
const MAX_JSON_PROFILE_BYTES = 512 * 1024 ** 2

export async function validateProfileFile(file: string, kind: ProfileFileKind, name: string): Promise<void> {
  const { size } = await stat(file)
  if (size === 0) throw new ProfileFormatError(`${name} is empty`)
  if (kind === 'heapsnapshot') {
    const parser = createHeapSnapshotParser()
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.write(chunk as Buffer)
      parser.end()
    } catch (err) {
      throw new ProfileFormatError(`${name}: ${(err as Error).message}`)
    }
    return
  }
  if (size > MAX_JSON_PROFILE_BYTES) throw new ProfileFormatError(`${name} is ${size} bytes; JSON profiles over 512 MB are not supported`)
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new ProfileFormatError(`${name} is not valid JSON (${(err as Error).message}); is it truncated?`)
  }
  try {
    if (kind === 'cpuprofile') validateCpuProfile(raw)
    else validateHeapProfile(raw)
  } catch (err) {
    throw new ProfileFormatError(`${name}: ${(err as Error).message}`)
  }
}
