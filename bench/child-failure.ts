/**
 * Why a bench child process gave no result, in one line: its exit code or signal, then the error's own
 * line from stderr (`RangeError: Cannot create a string longer than …`) rather than the stack under it,
 * or the last lines of stderr when no error line is there.
 */
export function childFailureReason(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const errorLine = lines.find((l) => /^\w*(Error|Exception)\b/.test(l))
  const shown = errorLine ?? lines.slice(-2).join(' | ')
  return `exit ${code}${signal ? ` (${signal})` : ''}: ${shown.slice(0, 300)}`
}
