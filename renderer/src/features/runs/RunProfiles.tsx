/**
 * The evidence of a run, as tabs: the CPU flame graph with the call tree under it (selection linked),
 * the call tree alone, the allocation flame graph, the heap snapshots, and the 0x flamegraph page.
 * Profiles are read with readArtifact and parsed in the profile worker when their tab is first shown.
 */
import { type ReactNode, useEffect, useState } from 'react'
import type { ProfileTransform } from '../../../../core/analysis/transforms.js'
import type { RunId, RunRecord } from '../../../../core/model/run.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { formatBytes } from '../../../../core/format/bytes.js'
import { Icon } from '../../components/Icon.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { baseName, downloadBytes } from '../../lib/download.js'
import { speedscopeUrl, zeroXUrl } from '../../lib/viewers.js'
import { errorMessage } from '../../lib/errors.js'
import { useApi } from '../../state/store.js'
import { type OpenedProfile, type ProfileClient, type TimeRangeResult, createProfileClient } from '../../workers/profile-client.js'
import { CallTreeTable } from '../call-tree/CallTreeTable.js'
import { type AsyncState, useAsync } from '../compare/use-async.js'
import { FlameGraph } from '../flame-graph/FlameGraph.js'
import { HeapPanel, heapSnapshotFiles } from '../heap/HeapPanel.js'
import { RUN_FILES } from '../../../../core/model/run-layout.js'
import { useWorkbench } from '../../state/store.js'
import { RangeNote, useProfileRange, useRangedProfile } from './TimelineRange.js'
import type { CallTree, FunctionIndex } from '../../../../core/model/call-tree.js'
import { SourceView, type SourceTarget } from '../source/SourceView.js'
import { TransformBar, isUndoKey } from '../transforms/TransformBar.js'
import { useTransformMenu } from '../transforms/TransformMenu.js'
import { targetOfFunction, targetOfNode } from '../transforms/transform-options.js'
import { type DerivedState, useDerivedProfile } from '../transforms/use-derived-profile.js'
import { useTransformStack } from '../transforms/use-transform-stack.js'

export const CPU_PROFILE_FILE = RUN_FILES.cpuProfile
export const ALLOC_PROFILE_FILE = RUN_FILES.allocProfile
export const ZERO_X_FILE = `${RUN_FILES.zeroXDir}/flamegraph.html`

/** A profile worker for as long as the component lives (null until the effect ran). */
export function useProfileClient(): ProfileClient | null {
  const [client, setClient] = useState<ProfileClient | null>(null)
  useEffect(() => {
    const c = createProfileClient()
    setClient(c)
    return () => c.terminate()
  }, [])
  return client
}

/**
 * An artifact's bytes as an ArrayBuffer of their own, ready to transfer to the worker: the buffer itself
 * when the bytes fill it (a 1 GB profile is not copied again), else a copy.
 */
export async function readArtifactBuffer(
  api: { readArtifact(id: RunId, file: string): Promise<Uint8Array> },
  runId: RunId,
  file: string,
): Promise<ArrayBuffer> {
  const bytes = await api.readArtifact(runId, file)
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
  return whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer
}

/** Where opening a profile is: its bytes on their way from the engine, then the worker parsing them. */
export type OpenProgress = { phase: 'reading'; total: number } | { phase: 'parsing'; done: number; total: number }

/**
 * Opens `input` in the worker, reporting the bytes parsed to `setProgress` (the worker reports them for
 * every open it serves; this one's total is its input's size).
 */
async function openWithProgress(
  client: ProfileClient,
  input: { file: Blob; bytes?: undefined } | { bytes: ArrayBuffer; file?: undefined },
  fileName: string,
  setProgress: (p: OpenProgress) => void,
  profile?: string,
): Promise<OpenedProfile> {
  const total = input.file ? input.file.size : input.bytes.byteLength
  setProgress({ phase: 'parsing', done: 0, total })
  const stop = client.onProgress((done, of) => {
    if (of === total) setProgress({ phase: 'parsing', done, total })
  })
  try {
    return await client.open({ ...input, fileName, ...(profile !== undefined ? { profile } : {}) })
  } finally {
    stop()
  }
}

/** Reads an artifact and opens it in the worker, with its progress; null `client` means "not yet". */
export function useOpenedProfile(
  client: ProfileClient | null,
  runId: RunId,
  file: string,
  enabled: boolean,
  sizeBytes = 0,
): AsyncState<OpenedProfile> & { reload(): void; progress: OpenProgress | null } {
  const api = useApi()
  const [progress, setProgress] = useState<OpenProgress | null>(null)
  const state = useAsync(
    client && enabled
      ? async () => {
          setProgress({ phase: 'reading', total: sizeBytes })
          // A Blob where the client has one (browser mode: the worker reads it in windows), else the bytes.
          const input = api.readArtifactBlob
            ? { file: await api.readArtifactBlob(runId, file) }
            : { bytes: await readArtifactBuffer(api, runId, file) }
          return openWithProgress(client, input, file, setProgress)
        }
      : null,
    [client, enabled, runId, file],
  )
  return { ...state, progress: state.status === 'loading' ? progress : null }
}

/**
 * Opens a chosen or dropped file (a Blob the worker reads) in the worker, with its progress; `profile`
 * picks one of a file's profiles (a trace's thread, by its choice key; the file's first by default).
 */
export function useOpenedBlob(
  client: ProfileClient | null,
  file: Blob | null,
  fileName: string,
  profile?: string,
): AsyncState<OpenedProfile> & { reload(): void; progress: OpenProgress | null } {
  const [progress, setProgress] = useState<OpenProgress | null>(null)
  const state = useAsync(
    client && file ? () => openWithProgress(client, { file }, fileName, setProgress, profile) : null,
    [client, file, fileName, profile],
  )
  // The worker keeps each opened tree until closed: close the one shown when another profile of the file
  // is picked (the worker itself ends with the view).
  const openedId = state.status === 'ready' ? state.value.profileId : null
  useEffect(() => {
    if (!client || !openedId) return
    return () => void client.close({ profileId: openedId }).catch(() => {})
  }, [client, openedId])
  return { ...state, progress: state.status === 'loading' ? progress : null }
}

/** The loading line of a profile (reading, then parsing with a bar), or the plain line before it starts. */
function OpenProgressView({ what, progress }: { what: string; progress: OpenProgress | null }): ReactNode {
  if (!progress) return <p className="muted profile-loading">Reading and parsing the {what}…</p>
  if (progress.phase === 'reading') {
    return (
      <p className="muted profile-loading">
        Reading the {what}
        {progress.total > 0 ? ` (${formatBytes(progress.total)})` : ''}…
      </p>
    )
  }
  const pct = progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0
  // The bar counts bytes read; building the tree from them comes after the last byte (a third of the time).
  const building = progress.total > 0 && progress.done >= progress.total
  return (
    <div className="profile-loading profile-open-progress">
      <p className="muted">
        {building
          ? `Read all ${formatBytes(progress.total)} of the ${what}; building the call tree…`
          : `Parsing the ${what}… ${pct}% of ${formatBytes(progress.total)}`}
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-label={`Parsing the ${what}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  )
}

type Tab = 'flame' | 'calltree' | 'alloc' | 'heap'

const has = (record: Pick<RunRecord, 'artifacts'>, file: string): boolean => record.artifacts.some((a) => a.file === file)

export function runProfileTabs(record: Pick<RunRecord, 'artifacts'>): { id: Tab; label: string }[] {
  return [
    ...(has(record, CPU_PROFILE_FILE)
      ? [
          { id: 'flame' as const, label: 'Flame graph' },
          { id: 'calltree' as const, label: 'Call tree' },
        ]
      : []),
    ...(has(record, ALLOC_PROFILE_FILE) ? [{ id: 'alloc' as const, label: 'Allocations' }] : []),
    ...(heapSnapshotFiles(record).length > 0 ? [{ id: 'heap' as const, label: 'Heap' }] : []),
  ]
}

export function RunProfiles({ record }: { record: RunRecord }): ReactNode {
  const tabs = runProfileTabs(record)
  const has0x = has(record, ZERO_X_FILE)
  // A failed leak check opens on the heap comparison; otherwise the first tab.
  const first: Tab | null = record.leak && tabs.some((t) => t.id === 'heap') ? 'heap' : (tabs[0]?.id ?? null)
  const [tab, setTab] = useState<Tab | null>(first)
  const [visited, setVisited] = useState<ReadonlySet<Tab>>(new Set(first ? [first] : []))
  const client = useProfileClient()
  const cpuWanted = visited.has('flame') || visited.has('calltree')
  const sizeOf = (file: string): number => record.artifacts.find((a) => a.file === file)?.bytes ?? 0
  const cpu = useOpenedProfile(client, record.id, CPU_PROFILE_FILE, cpuWanted, sizeOf(CPU_PROFILE_FILE))
  const alloc = useOpenedProfile(client, record.id, ALLOC_PROFILE_FILE, visited.has('alloc'), sizeOf(ALLOC_PROFILE_FILE))
  const [cpuSelected, setCpuSelected] = useState<NodeIndex | null>(null)
  const [allocSelected, setAllocSelected] = useState<NodeIndex | null>(null)
  const range = useProfileRange(record)
  const ranged = useRangedProfile(client, cpu.status === 'ready' ? cpu.value : null, range?.profile ?? null)
  const clearRange = useWorkbench((s) => s.clearTimeRange)
  const [source, setSource] = useState<SourceTarget | null>(null)
  // The source view reads the time range's tree when a range is selected (line ticks scaled to it, see
  // core/model/line-ticks.ts), else the whole profile's; not the transformed one, whose values moved.
  const openSource = (shown: CallTree, fn: FunctionIndex): void => {
    if (cpu.status !== 'ready') return
    const base = range && ranged?.status === 'ready' ? ranged.value.tree : cpu.value.tree
    const key = shown.functions.key[fn]
    const index = key === undefined ? -1 : base.functions.key.indexOf(key)
    if (index >= 0) setSource({ tree: base, fn: index, ...(base !== cpu.value.tree && range ? { range: range.run } : {}) })
  }
  // The transform stack (in the URL) applies to the CPU flame graph and call tree alike, and to the
  // allocation flame graph (transforms name functions by key, so "merge parse" merges it in both).
  const transforms = useTransformStack()
  const derived = useDerivedProfile(client, cpu.status === 'ready' ? cpu.value : null, range?.profile ?? null, transforms.stack)
  const allocDerived = useDerivedProfile(client, alloc.status === 'ready' ? alloc.value : null, null, transforms.stack)
  const stackKey = JSON.stringify(transforms.stack)
  useEffect(() => {
    setCpuSelected(null)
    setAllocSelected(null)
  }, [stackKey])
  if (tabs.length === 0 && !has0x) return null
  const choose = (t: Tab): void => {
    setTab(t)
    setVisited((v) => new Set([...v, t]))
  }
  return (
    <section className="panel run-profiles" aria-label="Profiles">
      <div className="tabs-row">
        <div className="tabs" role="tablist" aria-label="Profiles">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`tabpanel-${t.id}`}
              className={`tab ${tab === t.id ? 'on' : ''}`}
              onClick={() => choose(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div className="tabs-actions">
          {(tab === 'flame' || tab === 'calltree') && has(record, CPU_PROFILE_FILE) ? (
            <SpeedscopeLink runId={record.id} file={CPU_PROFILE_FILE} title={`${record.label} (CPU)`} />
          ) : null}
          {tab === 'alloc' && has(record, ALLOC_PROFILE_FILE) ? (
            <SpeedscopeLink runId={record.id} file={ALLOC_PROFILE_FILE} title={`${record.label} (allocations)`} />
          ) : null}
          {has0x ? <ZeroXLink runId={record.id} /> : null}
        </div>
      </div>
      {tab ? (
        <div className="tab-panel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'flame' || tab === 'calltree' ? (
            <>
              {range && cpu.status === 'ready' ? (
                <RangeNote
                  run={range.run}
                  result={ranged?.status === 'ready' ? ranged.value : null}
                  total={cpu.value.tree.meta.sampleCount}
                  clear={clearRange}
                />
              ) : null}
              <ProfileTab
                state={withDerived(ranged && cpu.status === 'ready' ? withRange(cpu, ranged) : cpu, derived)}
                transforms={{ ...transforms, busy: derived.status === 'loading' }}
                what="CPU profile"
                progress={cpu.progress}
                client={client}
                selected={cpuSelected}
                onSelect={setCpuSelected}
                mode={tab === 'flame' ? 'flame' : 'table'}
                onOpenSource={openSource}
              />
            </>
          ) : tab === 'alloc' ? (
            <ProfileTab
              state={withDerived(alloc, allocDerived)}
              transforms={{ ...transforms, busy: allocDerived.status === 'loading' }}
              what="allocation profile"
              progress={alloc.progress}
              client={client}
              selected={allocSelected}
              onSelect={setAllocSelected}
              mode="flame"
            />
          ) : (
            <HeapPanel record={record} />
          )}
        </div>
      ) : null}
      {source ? (
        <SourceView
          runId={record.id}
          profileFile={CPU_PROFILE_FILE}
          tree={source.tree}
          fn={source.fn}
          {...(source.range ? { range: source.range } : {})}
          onClose={() => setSource(null)}
        />
      ) : null}
    </section>
  )
}

/** The opened profile with its tree and flame rows replaced by the ranged ones (loading and errors of either shown). */
function withRange(
  opened: AsyncState<OpenedProfile> & { reload(): void; status: 'ready' },
  ranged: AsyncState<TimeRangeResult> & { reload(): void },
): AsyncState<OpenedProfile> & { reload(): void } {
  if (ranged.status !== 'ready') return ranged
  return { status: 'ready', value: { ...opened.value, tree: ranged.value.tree, flame: ranged.value.flame }, reload: ranged.reload }
}

/** The shown profile with the derived (transformed) tree, flame rows and worker id, while a stack is applied. */
function withDerived(
  shown: AsyncState<OpenedProfile> & { reload(): void },
  derived: DerivedState,
): AsyncState<OpenedProfile> & { reload(): void } {
  if (derived.status === 'none' || shown.status !== 'ready') return shown
  if (derived.status === 'error') return { status: 'error', message: derived.message, reload: shown.reload }
  const d = derived.status === 'ready' ? derived.value : derived.previous
  if (!d) return { status: 'loading', reload: shown.reload }
  return { status: 'ready', value: { ...shown.value, profileId: d.profileId, tree: d.tree, flame: d.flame }, reload: shown.reload }
}

interface TransformControls {
  stack: ProfileTransform[]
  push(t: ProfileTransform): void
  popTo(length: number): void
  busy: boolean
}

/** A profile's flame graph with its call tree under it (or the call tree alone), its loading and its errors. */
export function ProfileTab(props: {
  state: AsyncState<OpenedProfile> & { reload(): void }
  /** The CPU views' transform stack: breadcrumb, context menu and Backspace to undo. */
  transforms?: TransformControls
  what: string
  /** How far opening the profile is, while it opens. */
  progress?: OpenProgress | null
  client: ProfileClient | null
  selected: NodeIndex | null
  onSelect(node: NodeIndex | null): void
  mode: 'flame' | 'table'
  /** CPU profiles: opens the source view of a function of the tree shown. */
  onOpenSource?: (tree: CallTree, fn: FunctionIndex) => void
}): ReactNode {
  const { state, client, transforms } = props
  const noTransforms = { stack: [], push: () => {}, popTo: () => {}, busy: false }
  const tx = transforms ?? noTransforms
  const { open: openMenu, menu } = useTransformMenu(tx.stack, tx.push)
  const tree = state.status === 'ready' ? state.value.tree : null
  const onNodeContextMenu =
    transforms && tree ? (node: NodeIndex, at: { x: number; y: number }) => openMenu(targetOfNode(tree, node), at) : undefined
  const bar = transforms ? (
    <TransformBar
      stack={transforms.stack}
      popTo={transforms.popTo}
      busy={transforms.busy}
      openForSelected={
        tree && props.selected !== null && props.selected < tree.nodes.length
          ? (at) => onNodeContextMenu?.(props.selected as number, at)
          : null
      }
    />
  ) : null
  const withBar = (body: ReactNode): ReactNode =>
    transforms ? (
      <div
        className="profile-transformable"
        onKeyDown={(e) => {
          if (transforms.stack.length > 0 && isUndoKey(e)) {
            e.preventDefault()
            transforms.popTo(transforms.stack.length - 1)
          }
        }}
      >
        {bar}
        {body}
        {menu}
      </div>
    ) : (
      body
    )
  if (state.status === 'error')
    return withBar(
      <ErrorBox
        title={`Could not ${transforms && transforms.stack.length > 0 ? 'transform' : 'open'} the ${props.what}`}
        onRetry={state.reload}
      >
        {state.message}
      </ErrorBox>,
    )
  if (state.status === 'loading' || !client)
    return withBar(
      transforms && transforms.stack.length > 0 && !props.progress ? (
        <p className="muted profile-loading">Applying the transforms…</p>
      ) : (
        <OpenProgressView what={props.what} progress={props.progress ?? null} />
      ),
    )
  const p = state.value
  const table = (
    <CallTreeTable
      tree={p.tree}
      selectedNode={props.selected}
      onSelect={props.onSelect}
      loadBottomUp={() => client.bottomUp({ profileId: p.profileId }).then((r) => r.view)}
      loadSandwich={(fn) => client.sandwich({ profileId: p.profileId, fn })}
      {...(props.onOpenSource ? { onOpenSource: props.onOpenSource } : {})}
      {...(onNodeContextMenu ? { onNodeContextMenu } : {})}
      {...(transforms
        ? { onFunctionContextMenu: (fn: FunctionIndex, at: { x: number; y: number }) => openMenu(targetOfFunction(p.tree, fn), at) }
        : {})}
    />
  )
  if (props.mode === 'table') return withBar(<div className="profile-table-only">{table}</div>)
  return withBar(
    <div className="profile-stack">
      <FlameGraph
        tree={p.tree}
        rows={p.flame}
        unit={p.tree.unit}
        loadStackChart={() => client.stackChart({ profileId: p.profileId }).then((r) => r.view)}
        selectedNode={props.selected}
        onSelect={props.onSelect}
        {...(props.onOpenSource ? { onOpenSource: (fn: FunctionIndex) => props.onOpenSource?.(p.tree, fn) } : {})}
        {...(onNodeContextMenu ? { onNodeContextMenu } : {})}
      />
      <div className="profile-linked-table">{table}</div>
    </div>,
  )
}

/**
 * Opens 0x's flamegraph page in a new tab from the server's sandboxed /view/0x/ path (browser mode), or
 * saves the page to open in a browser (desktop app). A blob: URL cannot work: it inherits the renderer's
 * CSP, which blocks the page's inline scripts, so it used to open blank.
 */
function ZeroXLink({ runId }: { runId: RunId }): ReactNode {
  const url = zeroXUrl(runId)
  if (url) {
    return (
      <a className="btn btn-small" href={url} target="_blank" rel="noopener noreferrer">
        <Icon name="file" /> Open 0x flamegraph
      </a>
    )
  }
  return (
    <SaveArtifactButton
      runId={runId}
      file={ZERO_X_FILE}
      fileName={`${runId}-0x-flamegraph.html`}
      mimeType="text/html"
      label="Save 0x flamegraph"
    />
  )
}

/** "Open in speedscope" for a CPU or allocation profile of the run (saves the file where no server hosts speedscope). */
export function SpeedscopeLink({ runId, file, title }: { runId: RunId; file: string; title: string }): ReactNode {
  const url = speedscopeUrl(runId, file, title)
  if (url) {
    return (
      <a className="btn btn-small" href={url} target="_blank" rel="noopener noreferrer">
        <Icon name="file" /> Open in speedscope
      </a>
    )
  }
  return (
    <SaveArtifactButton
      runId={runId}
      file={file}
      fileName={`${runId}-${baseName(file)}`}
      mimeType="application/json"
      label="Save for speedscope"
    />
  )
}

function SaveArtifactButton(props: { runId: RunId; file: string; fileName: string; mimeType: string; label: string }): ReactNode {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const save = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      downloadBytes(await api.readArtifact(props.runId, props.file), props.fileName, props.mimeType)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="zero-x-link">
      <button type="button" className="btn btn-small" onClick={() => void save()} disabled={busy}>
        <Icon name="file" /> {busy ? 'Reading…' : props.label}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  )
}
