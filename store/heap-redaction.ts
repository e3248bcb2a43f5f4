/**
 * Rewrites home paths in a heap snapshot's strings while streaming it (`hotpath export --redact-heap`):
 * snapshots run to hundreds of MB, so the file is never held whole. A path never spans a `"` byte (JSON
 * strings hold quotes only escaped, and a home path holds none), and a `"` byte is never inside a UTF-8
 * sequence, so each chunk is scrubbed up to its last `"` and the rest is carried into the next one.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createScrubber, type MachineIdentifiers } from '../core/format/redact-run.js'

const QUOTE = 0x22
/** A carry this long without a quote is scrubbed anyway (a pathological string must not grow memory). */
const MAX_CARRY_BYTES = 1 << 20

/** A Transform that scrubs home paths (and the user name as a path segment) from snapshot text. */
export function createHeapRedactionStream(ids: Pick<MachineIdentifiers, 'homes' | 'users'>): Transform {
  const scrub = createScrubber({ ...ids, values: [] })
  let carry: Buffer = Buffer.alloc(0)
  const emit = (stream: Transform, bytes: Buffer): void => {
    if (bytes.length === 0) return
    const text = bytes.toString('utf8')
    const out = scrub(text, { userAsWord: false })
    stream.push(out === text ? bytes : Buffer.from(out, 'utf8'))
  }
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const all = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk
      const cut = all.lastIndexOf(QUOTE)
      if (cut < 0) {
        carry = all
        if (carry.length > MAX_CARRY_BYTES) {
          emit(this, carry)
          carry = Buffer.alloc(0)
        }
      } else {
        emit(this, all.subarray(0, cut + 1))
        carry = Buffer.from(all.subarray(cut + 1))
      }
      callback()
    },
    flush(callback: TransformCallback) {
      emit(this, carry)
      carry = Buffer.alloc(0)
      callback()
    },
  })
}

/** Writes a copy of `from` with home paths scrubbed to `to` (a new file). */
export async function redactHeapSnapshotFile(from: string, to: string, ids: Pick<MachineIdentifiers, 'homes' | 'users'>): Promise<void> {
  await pipeline(createReadStream(from, { highWaterMark: 1 << 20 }), createHeapRedactionStream(ids), createWriteStream(to, { flags: 'wx', mode: 0o644 }))
}
