/**
 * The evidence of a run, as tabs: the CPU flame graph with the call tree under it (selection linked),
 * the call tree alone, the allocation flame graph, the heap snapshots, and the 0x flamegraph page.
 * Profiles are read with readArtifact and parsed in the profile worker when their tab is first shown.
 */
import { type ReactNode, useEffect, useState } from 'react'
import type { RunId, RunRecord } from '../../../../core/model/run.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { Icon } from '../../components/Icon.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { downloadBytes } from '../../lib/download.js'
import { errorMessage } from '../../lib/errors.js'
import { useApi } from '../../state/store.js'
import { type OpenedProfile, type ProfileClient, createProfileClient } from '../../workers/profile-client.js'
import { CallTreeTable } from '../call-tree/CallTreeTable.js'
import { type AsyncState, useAsync } from '../compare/use-async.js'
import { FlameGraph } from '../flame-graph/FlameGraph.js'
import { HeapPanel, heapSnapshotFiles } from '../heap/HeapPanel.js'

export const CPU_PROFILE_FILE = 'cpu.cpuprofile'
export const ALLOC_PROFILE_FILE = 'alloc.heapprofile'
export const ZERO_X_FILE = '0x/flamegraph.html'

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

/** An artifact's bytes in a fresh ArrayBuffer, ready to transfer to the worker. */
export async function readArtifactBuffer(
  api: { readArtifact(id: RunId, file: string): Promise<Uint8Array> },
  runId: RunId,
  file: string,
): Promise<ArrayBuffer> {
  const bytes = await api.readArtifact(runId, file)
  return bytes.slice().buffer
}

/** Reads an artifact and opens it in the worker; null `client` means "not yet". */
export function useOpenedProfile(
  client: ProfileClient | null,
  runId: RunId,
  file: string,
  enabled: boolean,
): AsyncState<OpenedProfile> & { reload(): void } {
  const api = useApi()
  return useAsync(
    client && enabled ? async () => client.open({ bytes: await readArtifactBuffer(api, runId, file), fileName: file }) : null,
    [client, enabled, runId, file],
  )
}

type Tab = 'flame' | 'calltree' | 'alloc' | 'heap'

export function runProfileTabs(record: Pick<RunRecord, 'artifacts'>): { id: Tab; label: string }[] {
  const has = (f: string): boolean => record.artifacts.some((a) => a.file === f)
  return [
    ...(has(CPU_PROFILE_FILE)
      ? [
          { id: 'flame' as const, label: 'Flame graph' },
          { id: 'calltree' as const, label: 'Call tree' },
        ]
      : []),
    ...(has(ALLOC_PROFILE_FILE) ? [{ id: 'alloc' as const, label: 'Allocations' }] : []),
    ...(heapSnapshotFiles(record).length > 0 ? [{ id: 'heap' as const, label: 'Heap' }] : []),
  ]
}

export function RunProfiles({ record }: { record: RunRecord }): ReactNode {
  const tabs = runProfileTabs(record)
  const has0x = record.artifacts.some((a) => a.file === ZERO_X_FILE)
  const [tab, setTab] = useState<Tab | null>(tabs[0]?.id ?? null)
  const [visited, setVisited] = useState<ReadonlySet<Tab>>(new Set(tabs[0] ? [tabs[0].id] : []))
  const client = useProfileClient()
  const cpuWanted = visited.has('flame') || visited.has('calltree')
  const cpu = useOpenedProfile(client, record.id, CPU_PROFILE_FILE, cpuWanted)
  const alloc = useOpenedProfile(client, record.id, ALLOC_PROFILE_FILE, visited.has('alloc'))
  const [cpuSelected, setCpuSelected] = useState<NodeIndex | null>(null)
  const [allocSelected, setAllocSelected] = useState<NodeIndex | null>(null)
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
        {has0x ? <ZeroXLink runId={record.id} /> : null}
      </div>
      {tab ? (
        <div className="tab-panel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'flame' || tab === 'calltree' ? (
            <ProfileTab
              state={cpu}
              what="CPU profile"
              client={client}
              selected={cpuSelected}
              onSelect={setCpuSelected}
              mode={tab === 'flame' ? 'flame' : 'table'}
            />
          ) : tab === 'alloc' ? (
            <ProfileTab
              state={alloc}
              what="allocation profile"
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
    </section>
  )
}

function ProfileTab(props: {
  state: AsyncState<OpenedProfile> & { reload(): void }
  what: string
  client: ProfileClient | null
  selected: NodeIndex | null
  onSelect(node: NodeIndex | null): void
  mode: 'flame' | 'table'
}): ReactNode {
  const { state, client } = props
  if (state.status === 'error')
    return (
      <ErrorBox title={`Could not open the ${props.what}`} onRetry={state.reload}>
        {state.message}
      </ErrorBox>
    )
  if (state.status === 'loading' || !client) return <p className="muted profile-loading">Reading and parsing the {props.what}…</p>
  const p = state.value
  const table = (
    <CallTreeTable
      tree={p.tree}
      selectedNode={props.selected}
      onSelect={props.onSelect}
      loadBottomUp={() => client.bottomUp({ profileId: p.profileId }).then((r) => r.view)}
      loadSandwich={(fn) => client.sandwich({ profileId: p.profileId, fn })}
    />
  )
  if (props.mode === 'table') return <div className="profile-table-only">{table}</div>
  return (
    <div className="profile-stack">
      <FlameGraph
        tree={p.tree}
        rows={p.flame}
        unit={p.tree.unit}
        loadStackChart={() => client.stackChart({ profileId: p.profileId }).then((r) => r.view)}
        selectedNode={props.selected}
        onSelect={props.onSelect}
      />
      <div className="profile-linked-table">{table}</div>
    </div>
  )
}

/** Opens 0x's self-contained flamegraph page from a Blob in a new tab; downloads it when tabs are blocked. */
function ZeroXLink({ runId }: { runId: RunId }): ReactNode {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const open = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    // Open the tab now, inside the click, so popup blockers allow it; fill it once the bytes are here.
    const tab = window.open('about:blank', '_blank')
    try {
      const bytes = await api.readArtifact(runId, ZERO_X_FILE)
      const url = URL.createObjectURL(new Blob([bytes.slice().buffer], { type: 'text/html' }))
      if (tab) {
        tab.opener = null
        tab.location.href = url
      } else downloadBytes(bytes, `${runId}-0x-flamegraph.html`, 'text/html')
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
    } catch (err) {
      tab?.close()
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="zero-x-link">
      <button type="button" className="btn btn-small" onClick={() => void open()} disabled={busy}>
        <Icon name="file" /> {busy ? 'Reading…' : 'Open 0x flamegraph'}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  )
}
