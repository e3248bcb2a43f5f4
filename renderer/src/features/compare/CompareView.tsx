/**
 * Runs side by side (compareRuns on the engine): the headline per candidate, a metrics table with
 * intervals and verdicts, overlaid latency distributions and timelines, the environment diff, warnings,
 * report exports, the differential flame graph of the CPU profiles and the heap comparison of the
 * end snapshots. The first id of the route is the baseline.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ProfileDiff } from '../../../../core/compare/call-tree-diff.js'
import type { Comparison } from '../../../../core/compare/comparison.js'
import { DEFAULT_NOISE, METRIC_DEFINITIONS, METRIC_NAMES, type MetricName } from '../../../../core/compare/metrics.js'
import { headlineSentence, runName } from '../../../../core/export/phrases.js'
import { describeWarning, warningSeverity, type RunWarning } from '../../../../core/stats/warnings.js'
import { WarningsPanel } from '../../components/WarningsPanel.js'
import type { RunId, RunRecord } from '../../../../core/model/run.js'
import { RUN_FILES, hasArtifactFile } from '../../../../core/model/run-layout.js'
import { BackToRuns } from '../../components/BackToRuns.js'
import { Icon } from '../../components/Icon.js'
import { EmptyState, ErrorBox } from '../../components/StatusBadge.js'
import { downloadBytes } from '../../lib/download.js'
import { errorMessage } from '../../lib/errors.js'
import { useApi, useWorkbench } from '../../state/store.js'
import { DiffFlameGraph } from '../flame-graph/DiffFlameGraph.js'
import { TransformBar, isUndoKey } from '../transforms/TransformBar.js'
import { useTransformMenu } from '../transforms/TransformMenu.js'
import { useTransformStack } from '../transforms/use-transform-stack.js'
import { HeapClassDiffView } from '../heap/HeapClassDiff.js'
import { AlignedTimeline, LatencyDistributions, type OverlayRun } from './CompareCharts.js'
import { withBaselineFirst, runColor } from './compare-model.js'
import { EnvironmentDiffTable } from './EnvironmentDiff.js'
import { MetricsTable, VerdictBadge } from './MetricsTable.js'
import { useAsync } from './use-async.js'

const CPU_PROFILE_FILE = RUN_FILES.cpuProfile
const HEAP_END = RUN_FILES.heapEnd

export function CompareView({ ids }: { ids: RunId[] }): ReactNode {
  const { navigate } = useWorkbench(useShallow((s) => ({ navigate: s.navigate })))
  const back = <BackToRuns />
  if (ids.length < 2) {
    return (
      <section className="view">
        <header className="view-header">
          <div>
            {back}
            <h1>Compare</h1>
          </div>
        </header>
        <div className="view-body">
          <EmptyState title="Select two or more runs in the library to compare them.">
            <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'runs' })}>
              <Icon name="runs" /> Go to runs
            </button>
          </EmptyState>
        </div>
      </section>
    )
  }
  return <CompareLoaded ids={ids} back={back} />
}

function CompareLoaded({ ids, back }: { ids: RunId[]; back: ReactNode }): ReactNode {
  const api = useApi()
  const { navigate, loadRun, runDetails, showNotice } = useWorkbench(
    useShallow((s) => ({ navigate: s.navigate, loadRun: s.loadRun, runDetails: s.runDetails, showNotice: s.showNotice })),
  )
  const [noisePct, setNoisePct] = useState(DEFAULT_NOISE * 100)
  const [metric, setMetric] = useState<MetricName>('opsPerSec')
  const [force, setForce] = useState(false)
  const options = useMemo(() => ({ noise: noisePct / 100, metric, ...(force ? { force: true } : {}) }), [noisePct, metric, force])
  const idsKey = ids.join(',')
  const result = useAsync(() => api.compareRuns(ids, options), [api, idsKey, options])
  useEffect(() => {
    for (const id of ids) void loadRun(id)
  }, [idsKey, loadRun])
  const records = ids.map((id) => runDetails[id]?.record)
  const names: Record<string, string> = {}
  ids.forEach((id, i) => {
    const r = records[i]
    names[id] = r ? runName(r) : id
  })
  const [exporting, setExporting] = useState<string | null>(null)
  const doExport = async (format: 'md' | 'html' | 'json'): Promise<void> => {
    setExporting(format)
    try {
      const file = await api.exportReport(ids, options, format)
      downloadBytes(file.text, file.fileName, file.mimeType)
    } catch (err) {
      showNotice({ kind: 'error', text: `Export failed: ${errorMessage(err)}` })
    } finally {
      setExporting(null)
    }
  }

  return (
    <section className="view view-compare" aria-labelledby="compare-title">
      <header className="view-header">
        <div>
          {back}
          <h1 id="compare-title">Compare {ids.length} runs</h1>
          <p className="view-subtitle">
            Candidates against the baseline; a change counts when its whole 95% interval clears the noise band.
          </p>
        </div>
        <div className="view-actions">
          {(['md', 'html', 'json'] as const).map((f) => (
            <button
              key={f}
              type="button"
              className="btn"
              onClick={() => void doExport(f)}
              disabled={exporting !== null || result.status !== 'ready'}
            >
              <Icon name="download" /> {exporting === f ? 'Exporting…' : f === 'md' ? 'Markdown' : f.toUpperCase()}
            </button>
          ))}
        </div>
      </header>
      <div className="toolbar compare-toolbar">
        <label className="compare-field">
          <span>Baseline</span>
          <select
            aria-label="Baseline"
            value={ids[0]}
            onChange={(e) => navigate({ view: 'compare', ids: withBaselineFirst(ids, e.target.value) })}
          >
            {ids.map((id) => (
              <option key={id} value={id}>
                {names[id]} · {id.slice(0, 15)}
              </option>
            ))}
          </select>
        </label>
        <label className="compare-field">
          <span>Headline</span>
          <select aria-label="Headline metric" value={metric} onChange={(e) => setMetric(e.target.value as MetricName)}>
            {METRIC_NAMES.map((n) => (
              <option key={n} value={n}>
                {METRIC_DEFINITIONS[n].label}
              </option>
            ))}
          </select>
        </label>
        <label className="compare-field">
          <span>Noise ±</span>
          <select aria-label="Noise band" value={String(noisePct)} onChange={(e) => setNoisePct(Number(e.target.value))}>
            {[0.5, 1, 2, 3, 5, 10].map((n) => (
              <option key={n} value={String(n)}>
                {n}%
              </option>
            ))}
          </select>
        </label>
        <ul className="compare-legend" aria-label="Runs">
          {ids.map((id, i) => (
            <li key={id}>
              <span className="legend-swatch" style={{ background: runColor(i) }} aria-hidden="true" />
              <a
                href={`#/runs/${encodeURIComponent(id)}`}
                onClick={(e) => {
                  e.preventDefault()
                  navigate({ view: 'run', runId: id })
                }}
              >
                {names[id]}
              </a>
              {i === 0 ? <span className="muted small"> baseline</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <div className="view-body compare-body">
        {result.status === 'loading' ? (
          <p className="muted">Comparing…</p>
        ) : result.status === 'error' ? (
          <ErrorBox title="Could not compare these runs" onRetry={result.reload}>
            <p>{result.message}</p>
            {!force && /different workloads|--force/i.test(result.message) ? (
              <button type="button" className="btn" onClick={() => setForce(true)}>
                Compare anyway
              </button>
            ) : null}
          </ErrorBox>
        ) : (
          <CompareBody comparison={result.value.comparison} records={records} names={names} />
        )}
      </div>
    </section>
  )
}

function CompareBody({
  comparison,
  records,
  names,
}: {
  comparison: Comparison
  records: (RunRecord | undefined)[]
  names: Record<string, string>
}): ReactNode {
  const byId = new Map(records.filter((r): r is RunRecord => r !== undefined).map((r) => [r.id, r]))
  const overlay: OverlayRun[] = useMemo(
    () =>
      comparison.runs.map((r) => {
        const rec = byId.get(r.id)
        return { id: r.id, name: names[r.id] ?? r.id, samplesNs: rec?.samplesNs, timeline: rec?.timeline ?? [] }
      }),
    // byId is rebuilt each render; the records themselves are what change.
    [comparison, ...records],
  )
  const allLoaded = comparison.runs.every((r) => byId.has(r.id))
  const warnings: RunWarning[] = [...comparison.warnings, ...comparison.candidates.flatMap((c) => c.warnings)]
  const baseline = byId.get(comparison.baseline)
  const [diffCandidate, setDiffCandidate] = useState<string>(comparison.candidates[0]?.id ?? '')
  const hasFile = hasArtifactFile
  const cpuCandidates = comparison.candidates.filter((c) => hasFile(byId.get(c.id), CPU_PROFILE_FILE)).map((c) => c.id)
  const heapCandidates = comparison.candidates.filter((c) => hasFile(byId.get(c.id), HEAP_END)).map((c) => c.id)
  const chosen = cpuCandidates.includes(diffCandidate) ? diffCandidate : cpuCandidates[0]
  const heapChosen = heapCandidates.includes(diffCandidate) ? diffCandidate : heapCandidates[0]

  return (
    <>
      <section className="headlines" aria-label="Summary">
        {comparison.candidates.map((c) => {
          const h = headlineSentence(comparison, c)
          return (
            <p key={c.id} className={`headline headline-${h.verdict}`}>
              <VerdictBadge verdict={h.verdict} /> {h.text}.
            </p>
          )
        })}
      </section>

      <WarningsPanel items={warnings.map((w) => ({ kind: w.kind, severity: warningSeverity(w), text: withRunNames(describeWarning(w), names) }))} />

      {comparison.candidates.map((c) => (
        <section key={c.id} className="panel" aria-label={`Metrics: ${names[c.id] ?? c.id}`}>
          <h2 className="panel-title">
            {names[c.id] ?? c.id} <span className="muted">vs {names[comparison.baseline] ?? comparison.baseline}</span>
          </h2>
          <MetricsTable
            candidate={c}
            noise={comparison.settings.noise}
            singleProcessFloor={comparison.settings.singleProcessFloor}
            baselineName={names[comparison.baseline] ?? comparison.baseline}
            candidateName={names[c.id] ?? c.id}
          />
        </section>
      ))}

      <section className="panel" aria-labelledby="dist-title">
        <h2 id="dist-title" className="panel-title">
          Distributions and timelines {!allLoaded ? <span className="muted">· loading runs…</span> : null}
        </h2>
        <LatencyDistributions runs={overlay} />
        <div className="timeline-charts compare-timelines">
          <AlignedTimeline runs={overlay} field="cpuPct" />
          <AlignedTimeline runs={overlay} field="rssBytes" />
        </div>
      </section>

      <section className="panel" aria-labelledby="env-diff-title">
        <h2 id="env-diff-title" className="panel-title">
          Environment{' '}
          <span className="muted">
            ·{' '}
            {comparison.environmentDiff.differences.length === 0
              ? 'identical'
              : `${comparison.environmentDiff.differences.length} differences`}
          </span>
        </h2>
        <EnvironmentDiffTable diff={comparison.environmentDiff} names={names} />
      </section>

      {comparison.candidates.length > 1 && (cpuCandidates.length > 0 || heapCandidates.length > 0) ? (
        <label className="compare-field diff-candidate">
          <span>Profile diff of</span>
          <select
            aria-label="Candidate for profile diffs"
            value={chosen ?? heapChosen ?? ''}
            onChange={(e) => setDiffCandidate(e.target.value)}
          >
            {comparison.candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {names[c.id] ?? c.id}
              </option>
            ))}
          </select>
        </label>
      ) : null}

      {baseline && hasFile(baseline, CPU_PROFILE_FILE) && chosen ? (
        <section className="panel" aria-labelledby="diff-flame-title">
          <h2 id="diff-flame-title" className="panel-title">
            CPU profile diff{' '}
            <span className="muted">
              · {names[chosen]} vs {names[baseline.id]}
            </span>
          </h2>
          <ProfileDiffPanel key={`${baseline.id} ${chosen}`} baselineId={baseline.id} candidateId={chosen} names={names} />
        </section>
      ) : allLoaded ? (
        <p className="muted section-note">No CPU profile diff: run both the baseline and a candidate with --profile cpu.</p>
      ) : null}

      {baseline && hasFile(baseline, HEAP_END) && heapChosen ? (
        <section className="panel" aria-labelledby="heap-cmp-title">
          <h2 id="heap-cmp-title" className="panel-title">
            Heap at end <span className="muted">· by class, from the baseline's end snapshot to the candidate's</span>
          </h2>
          <HeapClassDiffView
            base={{ runId: baseline.id, file: HEAP_END, label: `${names[baseline.id]} (end)` }}
            target={{ runId: heapChosen, file: HEAP_END, label: `${names[heapChosen]} (end)` }}
          />
        </section>
      ) : null}
    </>
  )
}

/** Warning text names runs by id; the view names them by label, which people recognise. */
function withRunNames(text: string, names: Record<string, string>): string {
  return Object.entries(names).reduce((t, [id, name]) => (name === id ? t : t.split(id).join(`"${name}"`)), text)
}

function ProfileDiffPanel({
  baselineId,
  candidateId,
  names,
}: {
  baselineId: RunId
  candidateId: RunId
  names: Record<string, string>
}): ReactNode {
  const api = useApi()
  const [hideHarness, setHideHarness] = useState(true)
  // The transform stack (in the URL) applies to both sides: the service transforms each profile, then diffs.
  const { stack, push, popTo } = useTransformStack()
  const stackKey = JSON.stringify(stack)
  const { open: openMenu, menu } = useTransformMenu(stack, push)
  // The one diff, computed by the service (the CLI's compare reads the same): per operation and by share.
  const diff = useAsync(
    () => api.diffProfiles([baselineId], [candidateId], { hideHarness, ...(stack.length > 0 ? { transforms: stack } : {}) }),
    [api, baselineId, candidateId, hideHarness, stackKey],
  )
  const [last, setLast] = useState<ProfileDiff | null>(null)
  const ready = diff.status === 'ready' ? diff.value : null
  useEffect(() => {
    if (ready) setLast(ready)
  }, [ready])
  const bar = <TransformBar stack={stack} popTo={popTo} rootLabel="Both profiles" busy={diff.status === 'loading' && stack.length > 0} />
  const wrap = (body: ReactNode): ReactNode => (
    <div
      className="profile-transformable"
      onKeyDown={(e) => {
        if (stack.length > 0 && isUndoKey(e)) {
          e.preventDefault()
          popTo(stack.length - 1)
        }
      }}
    >
      {bar}
      {body}
      {menu}
    </div>
  )
  if (diff.status === 'error')
    return wrap(
      <ErrorBox title="Could not diff the CPU profiles" onRetry={diff.reload}>
        {diff.message}
      </ErrorBox>,
    )
  const shown = diff.status === 'ready' ? diff.value : last
  if (!shown) return wrap(<p className="muted profile-loading">Diffing the two CPU profiles…</p>)
  return wrap(
    <DiffFlameGraph
      diff={shown}
      busy={diff.status === 'loading'}
      harnessHidden={hideHarness}
      onHarnessHiddenChange={setHideHarness}
      labels={{ baseline: names[baselineId] ?? 'Baseline', candidate: names[candidateId] ?? 'Candidate' }}
      onFunctionContextMenu={(fn, at) =>
        openMenu(fn ? { key: fn.key, name: fn.name, url: fn.url, category: fn.category } : { key: '', name: 'All', url: '', category: 'v8-native', isRoot: true }, at)
      }
    />,
  )
}
