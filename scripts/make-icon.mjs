// Draws the app icon, build/icon.png (512×512 RGBA): a flame graph's stacked bars on a dark rounded
// square. Pure Node (zlib + a hand-written PNG encoder), so it needs no image tools; electron-builder
// derives the .icns and Linux sizes from it. Run: node scripts/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const SIZE = 512
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const pixels = Buffer.alloc(SIZE * SIZE * 4)

function put(x, y, [r, g, b], a = 255) {
  const i = (y * SIZE + x) * 4
  pixels[i] = r
  pixels[i + 1] = g
  pixels[i + 2] = b
  pixels[i + 3] = a
}

/** Inside a square with rounded corners (radius r), with 1 px of anti-aliasing at the corners. */
function coverage(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x + 0.5, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y + 0.5, y0 + r), y1 - r)
  const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy)
  return Math.max(0, Math.min(1, r - d + 0.5))
}

// Background: a dark rounded square with a margin, as macOS icons have.
const margin = 24
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const a = coverage(x, y, margin, margin, SIZE - margin, SIZE - margin, 96)
    if (a > 0) put(x, y, [17, 19, 24], Math.round(a * 255))
  }
}

// Flame-graph rows, bottom (widest, coolest) to top (narrowest, hottest): [x0, x1] in 0..1 per row.
const rows = [
  [[0.0, 1.0]],
  [
    [0.0, 0.62],
    [0.66, 0.98],
  ],
  [
    [0.04, 0.5],
    [0.66, 0.86],
  ],
  [
    [0.08, 0.42],
    [0.7, 0.8],
  ],
  [[0.12, 0.3]],
  [[0.14, 0.24]],
]
const colors = [
  [181, 54, 28],
  [214, 86, 34],
  [233, 124, 42],
  [244, 163, 55],
  [250, 199, 80],
  [253, 228, 130],
]
const left = 96
const width = SIZE - 2 * left
const rowHeight = 44
const gap = 8
const bottom = SIZE - 112
for (const [i, row] of rows.entries()) {
  const y1 = bottom - i * (rowHeight + gap)
  const y0 = y1 - rowHeight
  for (const [a, b] of row) {
    const x0 = left + a * width
    const x1 = left + b * width - 4
    for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
      for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
        const c = coverage(x, y, x0, y0, x1, y1, 8)
        if (c > 0) {
          // Blend over the background (opaque there).
          const bg = [17, 19, 24]
          const color = colors[i].map((v, k) => Math.round(v * c + bg[k] * (1 - c)))
          put(x, y, color)
        }
      }
    }
  }
}

function crc32(buf) {
  let c
  let crc = 0xffffffff
  for (const byte of buf) {
    c = (crc ^ byte) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

const header = Buffer.alloc(13)
header.writeUInt32BE(SIZE, 0)
header.writeUInt32BE(SIZE, 4)
header[8] = 8 // bit depth
header[9] = 6 // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1))
for (let y = 0; y < SIZE; y++) pixels.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4)
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
])
mkdirSync(path.join(root, 'build'), { recursive: true })
writeFileSync(path.join(root, 'build', 'icon.png'), png)
process.stdout.write(`wrote build/icon.png (${png.length} bytes)\n`)
