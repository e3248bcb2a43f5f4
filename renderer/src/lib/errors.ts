/**
 * Error values from the API client as text: the message people read, and the per-field issues the
 * engine attaches to validation errors (ApiValidationError.issues, or the HTTP error body's issues).
 */

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name
  if (typeof err === 'string') return err
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message
  return 'Something went wrong (no details were given).'
}

export function errorIssues(err: unknown): string[] {
  if (err && typeof err === 'object' && 'issues' in err && Array.isArray(err.issues)) {
    return err.issues.filter((i): i is string => typeof i === 'string')
  }
  return []
}
