/**
 * Saving bytes the API returned (bundles, artifacts, reports) as a file: a Blob URL and a temporary
 * <a download>, which works alike in Electron and in the browser without any file-system access.
 */

export function downloadBytes(bytes: Uint8Array | string, fileName: string, mimeType = 'application/octet-stream'): void {
  // A copy into a fresh ArrayBuffer: the bytes may be a view on a larger (or shared) buffer.
  const part = typeof bytes === 'string' ? bytes : bytes.slice().buffer
  const url = URL.createObjectURL(new Blob([part], { type: mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** "hotpath-runs-2026-11-23T0705.tgz": sortable and safe on every file system. */
export function exportFileName(prefix: string, ext: string, at: Date = new Date()): string {
  const stamp = at.toISOString().slice(0, 16).replace(/:/g, '')
  return `${prefix}-${stamp}.${ext}`
}

/** The last path segment of an artifact path ("0x/flamegraph.html" -> "flamegraph.html"). */
export function baseName(file: string): string {
  return file.split('/').pop() || file
}
