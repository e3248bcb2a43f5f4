/**
 * A promise as render state: loading, ready with its value, or failed with a message. A newer call (deps
 * changed) wins over an older one still in flight; `reload` runs it again.
 */
import { type DependencyList, useCallback, useEffect, useState } from 'react'
import { errorMessage } from '../../lib/errors.js'

export type AsyncState<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string }

export function useAsync<T>(run: (() => Promise<T>) | null, deps: DependencyList): AsyncState<T> & { reload(): void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    if (!run) return
    let cancelled = false
    setState({ status: 'loading' })
    run().then(
      (value) => !cancelled && setState({ status: 'ready', value }),
      (err: unknown) => !cancelled && setState({ status: 'error', message: errorMessage(err) }),
    )
    return () => {
      cancelled = true
    }
    // `run` is recreated each render; the caller's deps say when it means something new.
  }, [...deps, attempt, run === null])
  const reload = useCallback(() => setAttempt((a) => a + 1), [])
  return { ...state, reload }
}
