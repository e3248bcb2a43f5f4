/**
 * The open CPU profile with the time range and the transform stack applied, computed in the profile
 * worker (its `derive` request), which keeps the result open so the bottom-up tree, sandwiches and the
 * stack chart are of what is shown. While a new stack is applied the previous result stays on screen.
 */
import { useEffect, useRef, useState } from 'react'
import type { ProfileTransform } from '../../../../core/analysis/transforms.js'
import type { TimeRange } from '../../../../core/analysis/time-range.js'
import { errorMessage } from '../../lib/errors.js'
import type { DerivedProfile, OpenedProfile, ProfileClient } from '../../workers/profile-client.js'

export type DerivedState =
  | { status: 'none' }
  | { status: 'loading'; previous: DerivedProfile | null }
  | { status: 'ready'; value: DerivedProfile }
  | { status: 'error'; message: string }

/** Null stack or no opened profile: status 'none' (show the profile as it is). */
export function useDerivedProfile(
  client: ProfileClient | null,
  opened: OpenedProfile | null,
  range: TimeRange | null,
  stack: readonly ProfileTransform[],
): DerivedState {
  const [state, setState] = useState<DerivedState>({ status: 'none' })
  const shownRef = useRef<string | null>(null)
  const key = JSON.stringify(stack)
  const wanted = client !== null && opened !== null && stack.length > 0
  useEffect(() => {
    if (!wanted || !client || !opened) {
      setState({ status: 'none' })
      return
    }
    let cancelled = false
    setState((s) => ({ status: 'loading', previous: s.status === 'ready' ? s.value : s.status === 'loading' ? s.previous : null }))
    client.derive({ profileId: opened.profileId, transforms: JSON.parse(key) as ProfileTransform[], ...(range ? { range } : {}) }).then(
      (value) => {
        if (cancelled) {
          void client.close({ profileId: value.profileId }).catch(() => {})
          return
        }
        // The worker keeps each derived tree until closed: close the one this replaces.
        const before = shownRef.current
        shownRef.current = value.profileId
        if (before) void client.close({ profileId: before }).catch(() => {})
        setState({ status: 'ready', value })
      },
      (err: unknown) => !cancelled && setState({ status: 'error', message: errorMessage(err) }),
    )
    return () => {
      cancelled = true
    }
  }, [wanted, client, opened, key, range?.startMs, range?.endMs])
  return state
}
