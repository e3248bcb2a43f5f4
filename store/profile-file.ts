/**
 * Checks a profile file on disk with the importers' own checks: a `.cpuprofile` is checked by the byte importer
 * (core/import/cpuprofile-stream.ts) through an 8 MB window, so a profile of any size (past V8's string
 * limit too) is checked without holding its text; sampling heap profiles are parsed and validated whole
 * (core/import/validate.ts); heap snapshots are streamed through the snapshot parser, which checks every
 * table against the header. Throws a ProfileFormatError whose message starts with the file's name.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { type ByteSource, checkCpuProfileBytes } from '../core/import/cpuprofile-stream.js'
import { createHeapSnapshotParser } from '../core/import/heap-snapshot.js'
import { ProfileFormatError, validateHeapProfile } from '../core/import/validate.js'

/** A ByteSource over an open file descriptor (read with fs.readSync, a window at a time). */
export function fileByteSource(fd: number): ByteSource {
  const size = fstatSync(fd).size
  return {
    size,
    read(into, offset, length, position) {
      let done = 0
      while (done < length) {
        const n = readSync(fd, into, offset + done, length - done, position + done)
        if (n === 0) break
        done += n
      }
      return done
    },
  }
}

export type ProfileFileKind = 'cpuprofile' | 'heapprofile' | 'heapsnapshot'

/** Heap profiles larger than this are refused (they are parsed whole; V8's string limit is ~512 MB). */
const MAX_JSON_PROFILE_BYTES = 512 * 1024 ** 2

export async function validateProfileFile(
  file: string,
  kind: ProfileFileKind,
  name: string,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
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
  if (kind === 'cpuprofile') {
    const fd = openSync(file, 'r')
    try {
      checkCpuProfileBytes(fileByteSource(fd), { fileName: name, ...(onProgress ? { onProgress } : {}) })
    } catch (err) {
      if (err instanceof ProfileFormatError) throw err
      throw new ProfileFormatError(`${name}: ${(err as Error).message}`)
    } finally {
      closeSync(fd)
    }
    return
  }
  if (size > MAX_JSON_PROFILE_BYTES) throw new ProfileFormatError(`${name} is ${size} bytes; heap profiles over 512 MB are not supported`)
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new ProfileFormatError(`${name} is not valid JSON (${(err as Error).message}); is it truncated?`)
  }
  try {
    validateHeapProfile(raw)
  } catch (err) {
    throw new ProfileFormatError(`${name}: ${(err as Error).message}`)
  }
}
