/**
 * The transform stack of the run or comparison on screen. It lives in the route (`?tx=` in the URL hash,
 * renderer/src/lib/route.ts), so a reload or a shared link keeps it and Back undoes a step; the flame
 * graph, the call tree and the diff all read this one stack.
 */
import { useCallback } from 'react'
import type { ProfileTransform } from '../../../../core/analysis/transforms.js'
import { MAX_TRANSFORMS } from '../../../../core/analysis/transforms.js'
import { useWorkbench } from '../../state/store.js'

const NONE: ProfileTransform[] = []

export interface TransformStack {
  stack: ProfileTransform[]
  push(transform: ProfileTransform): void
  /** Keeps the first `length` transforms (0: the whole profile). */
  popTo(length: number): void
}

export function useTransformStack(): TransformStack {
  const route = useWorkbench((s) => s.route)
  const navigate = useWorkbench((s) => s.navigate)
  const stack = route.view === 'run' || route.view === 'compare' ? (route.transforms ?? NONE) : NONE
  const set = useCallback(
    (next: ProfileTransform[]) => {
      if (route.view !== 'run' && route.view !== 'compare') return
      const { transforms: _old, ...rest } = route
      navigate(next.length > 0 ? { ...rest, transforms: next } : rest)
    },
    [route, navigate],
  )
  const push = useCallback((t: ProfileTransform) => set([...stack, t].slice(-MAX_TRANSFORMS)), [set, stack])
  const popTo = useCallback((length: number) => set(stack.slice(0, Math.max(0, length))), [set, stack])
  return { stack, push, popTo }
}
