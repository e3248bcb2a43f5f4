/**
 * Writes tar archives byte by byte (ustar headers), so tests can craft archives that real tar
 * libraries refuse to make: "../" paths, absolute paths, symlinks, devices, lying sizes.
 */
import { gzipSync } from 'node:zlib'

export interface RawMember {
  path: string
  body?: string | Uint8Array
  /** '0' file, '2' symlink, '3' char device, '5' directory. */
  type?: '0' | '1' | '2' | '3' | '4' | '5' | '6'
  linkpath?: string
  /** Size to write in the header (defaults to the body's length). */
  headerSize?: number
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0'
}

export function rawTar(members: RawMember[]): Buffer {
  const blocks: Buffer[] = []
  for (const m of members) {
    const body = typeof m.body === 'string' ? Buffer.from(m.body) : Buffer.from(m.body ?? new Uint8Array())
    const header = Buffer.alloc(512, 0)
    header.write(m.path.slice(0, 100), 0, 'utf8')
    header.write(octal(0o644, 8), 100)
    header.write(octal(0, 8), 108)
    header.write(octal(0, 8), 116)
    header.write(octal(m.headerSize ?? body.length, 12), 124)
    header.write(octal(0, 12), 136)
    header.write('        ', 148)
    header.write(m.type ?? '0', 156)
    if (m.linkpath) header.write(m.linkpath, 157)
    header.write('ustar\0', 257)
    header.write('00', 263)
    let sum = 0
    for (const b of header) sum += b
    header.write(octal(sum, 7) + ' ', 148)
    blocks.push(header)
    blocks.push(body)
    const pad = (512 - (body.length % 512)) % 512
    blocks.push(Buffer.alloc(pad, 0))
  }
  blocks.push(Buffer.alloc(1024, 0))
  return Buffer.concat(blocks)
}

export function rawTgz(members: RawMember[]): Buffer {
  return gzipSync(rawTar(members))
}
