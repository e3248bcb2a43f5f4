/**
 * Imports a profile file from disk through the one sniffing index (core/import/index.ts), Node side: the
 * file is read piece by piece (a ByteSource over fs.readSync, so a multi-gigabyte `.cpuprofile` keeps only
 * an 8 MB window in memory), gzip is undone with zlib, and a file whose estimated import would not fit in
 * free memory is refused before any of it is parsed.
 */
import { closeSync, openSync } from 'node:fs'
import os from 'node:os'
import { gunzipSync } from 'node:zlib'
import {
  type ImportedProfile,
  ProfileFormatError,
  type StreamedProfile,
  estimateImportBytes,
  importProfileBytes,
  sniffFormatByName,
} from '../core/import/index.js'
import { fileByteSource } from '../store/profile-file.js'

export interface ProfileFileOptions {
  /** Which profile of a multi-profile file (a trace's thread, a speedscope profile). */
  profile?: string
  onProgress?: (done: number, total: number) => void
  /** Memory the import may use, in bytes (default: free memory now). */
  availableBytes?: number
}

const gunzip = (bytes: Uint8Array): Uint8Array => gunzipSync(bytes)

/** Imports the profile in `file`; throws a ProfileFormatError naming the problem (and the file). */
export function importProfileFile(file: string, options: ProfileFileOptions = {}): ImportedProfile | StreamedProfile {
  const fd = openSync(file, 'r')
  try {
    const source = fileByteSource(fd)
    if (source.size === 0) throw new ProfileFormatError(`${file} is empty`)
    const head = new Uint8Array(Math.min(source.size, 64))
    source.read(head, 0, head.length, 0)
    const gz = head[0] === 0x1f && head[1] === 0x8b
    const text = new TextDecoder().decode(head).replace(/\s+/g, '')
    const format = !gz && text.startsWith('{"nodes":') ? 'cpuprofile' : sniffFormatByName(file)
    // Compressed files are read whole and inflated: estimate from a typical 10x ratio.
    const need = estimateImportBytes(format, gz ? source.size * 10 : source.size)
    const available = options.availableBytes ?? os.freemem()
    if (need > available) {
      const mb = (n: number): string => `${(n / 1024 ** 2).toFixed(0)} MB`
      throw new ProfileFormatError(
        `${file} (${mb(source.size)}) would need about ${mb(need)} to import, and ${mb(available)} is free; close other programs or import it on a larger machine`,
      )
    }
    return importProfileBytes(file, source, {
      gunzip,
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
  } finally {
    closeSync(fd)
  }
}
