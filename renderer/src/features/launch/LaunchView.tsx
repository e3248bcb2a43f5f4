/**
 * The launch view: pick a workload and a variant, set parameters, measurement, capture and labels,
 * and start a run (button or Ctrl/Cmd+Enter), or a sweep when a parameter has several values. The form
 * is checked with the engine's own rules before sending (a named Node runtime by the engine itself, as
 * it is typed); the Run button waits until every field is valid, and the engine's errors land next to
 * the fields they name.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ProfileKind } from '../../../../core/model/run.js'
import type { VariantInfo, WorkloadDescriptor } from '../../../../core/model/workload.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { selectLaunchDraft, selectLaunchWorkload } from '../../state/selectors.js'
import { useApi, useWorkbench } from '../../state/store.js'
import { errorMessage } from '../../lib/errors.js'
import { type DraftErrors, type LaunchDraft, PROFILE_KINDS, coherentCapturePatch, validateDraft } from './launch-form.js'
import { ParamsForm } from './ParamsForm.js'
import { WorkloadFolderPanel } from './WorkloadFolder.js'
import { WorkloadPicker } from './WorkloadPicker.js'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function LaunchView(): ReactNode {
  const s = useWorkbench(
    useShallow((st) => ({
      workloads: st.workloads,
      status: st.workloadsStatus,
      error: st.workloadsError,
      selectedId: st.launchWorkloadId,
      loadWorkloads: st.loadWorkloads,
      chooseWorkload: st.chooseWorkload,
    })),
  )
  return (
    <section className="view view-launch" aria-labelledby="launch-title">
      <header className="view-header">
        <div>
          <h1 id="launch-title">Launch</h1>
          <p className="view-subtitle">Measure a workload variant in a fresh Node process, with the evidence you choose.</p>
        </div>
      </header>
      {s.status === 'error' ? (
        <div className="view-body">
          <ErrorBox title="Could not load the workloads" onRetry={() => void s.loadWorkloads()}>
            {s.error}
          </ErrorBox>
        </div>
      ) : s.workloads.length === 0 ? (
        <div className="view-body">
          <p className="muted">{s.status === 'ready' ? 'The engine lists no workloads.' : 'Loading workloads…'}</p>
        </div>
      ) : (
        <div className="launch-layout">
          <aside className="launch-sidebar">
            {/* First, so files that failed to load are seen without scrolling past the built-ins. */}
            <WorkloadFolderPanel onChanged={() => void s.loadWorkloads()} />
            <h2 className="section-label">Workload</h2>
            <WorkloadPicker workloads={s.workloads} selectedId={s.selectedId} onSelect={s.chooseWorkload} />
          </aside>
          <LaunchForm />
        </div>
      )}
    </section>
  )
}

function LaunchForm(): ReactNode {
  const { descriptor, draft, launching, launchError, editDraft, editParam, resetDraft, launch, navigate } = useWorkbench(
    useShallow((st) => ({
      descriptor: selectLaunchWorkload(st),
      draft: selectLaunchDraft(st),
      launching: st.launching,
      launchError: st.launchError,
      editDraft: st.editDraft,
      editParam: st.editParam,
      resetDraft: st.resetDraft,
      launch: st.launch,
      navigate: st.navigate,
    })),
  )
  const validation = useMemo(() => (descriptor && draft ? validateDraft(descriptor, draft) : null), [descriptor, draft])
  const runtime = useRuntimeCheck(draft?.runtime ?? '')

  const submit = async (): Promise<void> => {
    const runId = await launch()
    if (runId) navigate({ view: 'live' })
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault()
        void submit()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  if (!descriptor || !draft || !validation) return <div className="launch-main" />
  // Live checks first; the engine's answer (after a submit) adds what only it can know.
  const errors: DraftErrors = {
    ...launchError?.fields,
    ...(runtime.state === 'bad' ? { runtime: runtime.text } : {}),
    ...validation.errors,
  }
  const blocked = Object.keys(validation.errors).length > 0 || runtime.state === 'bad'
  const sweep = validation.sweep
  const fieldError = (key: keyof DraftErrors): ReactNode =>
    errors[key] ? (
      <p className="field-error" role="alert">
        {errors[key]}
      </p>
    ) : null

  return (
    <form
      className="launch-main"
      aria-label={`Run ${descriptor.title}`}
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <div className="launch-scroll">
        <header className="workload-header">
          <h2>{descriptor.title}</h2>
          <p>{descriptor.description}</p>
          <dl className="inline-facts">
            <div>
              <dt>One operation</dt>
              <dd>{descriptor.operation}</dd>
            </div>
            <div>
              <dt>Figure to beat</dt>
              <dd>{descriptor.figureToBeat}</dd>
            </div>
          </dl>
        </header>

        <fieldset className="form-section">
          <legend>Variant</legend>
          <VariantPicker variants={descriptor.variants} value={draft.variant} onChange={(variant) => editDraft({ variant })} />
          {fieldError('variant')}
        </fieldset>

        <fieldset className="form-section">
          <legend>Parameters</legend>
          <ParamsForm params={descriptor.params} values={draft.params} errors={errors} onChange={editParam} />
          {Object.values(descriptor.params).some((p) => p.type !== 'boolean') ? (
            <p className="section-note">
              Several values, comma-separated (<span className="mono">1, 2, 4</span>), run a sweep: one run per value, one after another,
              saved as a group and plotted in the sweep view.
            </p>
          ) : null}
        </fieldset>

        <MeasurementSection draft={draft} errors={errors} onChange={editDraft} />
        <CaptureSection draft={draft} errors={errors} onChange={editDraft} />
        <RunInfoSection draft={draft} errors={errors} onChange={editDraft} descriptor={descriptor} runtimeNode={runtime.state === 'ok' ? runtime.text : undefined} />
      </div>

      <footer className="launch-footer">
        <div className="launch-status" aria-live="polite">
          {launchError ? (
            <p className="field-error" role="alert">
              {launchError.message}
              {errors.request ? <span className="block">{errors.request}</span> : null}
            </p>
          ) : blocked ? (
            <p className="muted">Fix the highlighted fields to start the run.</p>
          ) : runtime.state === 'checking' ? (
            <p className="muted">Checking the Node runtime…</p>
          ) : (
            <p className="muted">
              {sweep ? `Sweep of ${sweep.runs} runs over ${sweep.axes.map((a) => `${a.param} ${a.values.join(', ')}`).join(' × ')}, one after another, grouped. ` : null}
              {describeRequest(draft, descriptor)} <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd> runs {sweep ? 'them' : 'it'}.
            </p>
          )}
        </div>
        <button type="button" className="btn" onClick={resetDraft}>
          Reset
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={launching || blocked || runtime.state === 'checking'}
          aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
        >
          {launching ? 'Starting…' : sweep ? `Run sweep (${sweep.runs} runs)` : 'Run'}
        </button>
      </footer>
    </form>
  )
}

type RuntimeCheck = { state: 'none' | 'checking' } | { state: 'ok' | 'bad'; text: string }

/**
 * Asks the engine about the runtime path as it is typed (after a pause): whether it exists, is executable
 * and is Node >= 18, the check startRun applies. "ok" carries the Node version, "bad" the engine's reason.
 */
function useRuntimeCheck(path: string): RuntimeCheck {
  const api = useApi()
  const wanted = path.trim()
  const [result, setResult] = useState<{ path: string; check: RuntimeCheck }>({ path: '', check: { state: 'none' } })
  useEffect(() => {
    if (wanted === '') return
    let live = true
    const timer = setTimeout(() => {
      api.checkRuntime(wanted).then(
        (r) => live && setResult({ path: wanted, check: r.ok ? { state: 'ok', text: r.node } : { state: 'bad', text: r.message } }),
        (err: unknown) => live && setResult({ path: wanted, check: { state: 'bad', text: errorMessage(err) } }),
      )
    }, 300)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [api, wanted])
  if (wanted === '') return { state: 'none' }
  return result.path === wanted ? result.check : { state: 'checking' }
}

/** One line that says what will happen: "heap, 5 s after 1 s warm-up, CPU profile." */
function describeRequest(draft: LaunchDraft, descriptor: WorkloadDescriptor): string {
  const variant = descriptor.variants.find((v) => v.id === draft.variant)?.title ?? draft.variant
  const measure = draft.measure === 'duration' ? `${draft.durationS} s` : `${draft.iterations} iterations`
  const warm =
    draft.warmup.trim() === ''
      ? ''
      : draft.warmupMode === 'time'
        ? ` after ${draft.warmup} s warm-up`
        : ` after ${draft.warmup} warm-up iterations`
  const capture = draft.profile.length > 0 ? `, capturing ${draft.profile.join(', ')}` : ', timing only'
  return `${variant}: ${measure}${warm}${capture}.`
}

const ROLE_TEXT: Record<VariantInfo['role'], string> = { naive: 'before', optimized: 'after', leaky: 'leaky', alternative: 'alternative' }

function VariantPicker({
  variants,
  value,
  onChange,
}: {
  variants: readonly VariantInfo[]
  value: string
  onChange(id: string): void
}): ReactNode {
  return (
    <div className="variant-grid" role="radiogroup" aria-label="Variant">
      {variants.map((v) => (
        <label key={v.id} className={`variant-card ${v.id === value ? 'selected' : ''}`}>
          <input type="radio" name="variant" value={v.id} checked={v.id === value} onChange={() => onChange(v.id)} />
          <span className="variant-head">
            <span className="variant-title">{v.title}</span>
            <span className={`role role-${v.role}`} title={`role: ${v.role}`}>
              {v.role}
              {ROLE_TEXT[v.role] !== v.role ? <span className="role-note"> · {ROLE_TEXT[v.role]}</span> : null}
            </span>
          </span>
          <span className="variant-desc">{v.description}</span>
        </label>
      ))}
    </div>
  )
}

interface SectionProps {
  draft: LaunchDraft
  errors: DraftErrors
  onChange(patch: Partial<LaunchDraft>): void
}

function Segmented<T extends string>({
  name,
  value,
  options,
  onChange,
}: {
  name: string
  value: T
  options: readonly { value: T; label: string }[]
  onChange(v: T): void
}): ReactNode {
  return (
    <div className="segmented" role="radiogroup" aria-label={name}>
      {options.map((o) => (
        <label key={o.value} className={o.value === value ? 'on' : ''}>
          <input type="radio" name={name} value={o.value} checked={o.value === value} onChange={() => onChange(o.value)} />
          {o.label}
        </label>
      ))}
    </div>
  )
}

function TextField(props: {
  id: string
  label: string
  value: string
  onChange(v: string): void
  error?: string | undefined
  hint?: string
  unit?: string
  placeholder?: string
  numeric?: boolean
  disabled?: boolean
  wide?: boolean
}): ReactNode {
  return (
    <div className={`field ${props.error ? 'invalid' : ''} ${props.wide ? 'field-wide' : ''}`}>
      <label htmlFor={props.id} className="field-label">
        {props.label}
      </label>
      <div className="input-with-unit">
        <input
          id={props.id}
          type="text"
          inputMode={props.numeric ? 'decimal' : undefined}
          value={props.value}
          placeholder={props.placeholder}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.value)}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.hint ? `${props.id}-hint` : undefined}
          spellCheck={false}
          autoComplete="off"
        />
        {props.unit ? <span className="unit">{props.unit}</span> : null}
      </div>
      {props.hint ? (
        <p id={`${props.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

function MeasurementSection({ draft, errors, onChange }: SectionProps): ReactNode {
  return (
    <fieldset className="form-section">
      <legend>Measurement</legend>
      <div className="field-grid">
        <div className="field">
          <span className="field-label">Measure for</span>
          <Segmented
            name="Measure for"
            value={draft.measure}
            options={[
              { value: 'duration', label: 'Duration' },
              { value: 'iterations', label: 'Iterations' },
            ]}
            onChange={(measure) => onChange({ measure })}
          />
        </div>
        {draft.measure === 'duration' ? (
          <TextField
            id="launch-duration"
            label="Duration"
            unit="s"
            numeric
            value={draft.durationS}
            onChange={(durationS) => onChange({ durationS })}
            error={errors.durationS}
            hint="Wall time of the measured window."
          />
        ) : (
          <TextField
            id="launch-iterations"
            label="Iterations"
            numeric
            value={draft.iterations}
            onChange={(iterations) => onChange({ iterations })}
            error={errors.iterations}
            hint="Measured iterations, after warm-up."
          />
        )}
        <div className="field">
          <span className="field-label">Warm-up by</span>
          <Segmented
            name="Warm-up by"
            value={draft.warmupMode}
            options={[
              { value: 'time', label: 'Time' },
              { value: 'iterations', label: 'Iterations' },
            ]}
            onChange={(warmupMode) => onChange({ warmupMode })}
          />
        </div>
        <TextField
          id="launch-warmup"
          label="Warm-up"
          unit={draft.warmupMode === 'time' ? 's' : 'iter.'}
          numeric
          value={draft.warmup}
          onChange={(warmup) => onChange({ warmup })}
          error={errors.warmup}
          hint="Lets the JIT settle; not measured. Empty: the engine's default."
        />
        <TextField
          id="launch-seed"
          label="Seed"
          numeric
          placeholder="default"
          value={draft.seed}
          onChange={(seed) => onChange({ seed })}
          error={errors.seed}
          hint="Data generator seed; same seed, same data and checksum."
        />
        <TextField
          id="launch-timeout"
          label="Timeout"
          unit="s"
          numeric
          placeholder="600"
          value={draft.timeoutS}
          onChange={(timeoutS) => onChange({ timeoutS })}
          error={errors.timeoutS}
          hint="The run is stopped after this long."
        />
      </div>
    </fieldset>
  )
}

function CaptureSection({ draft, errors, onChange }: SectionProps): ReactNode {
  const capture = (patch: Parameters<typeof coherentCapturePatch>[1]): void => onChange(coherentCapturePatch(draft, patch))
  const toggle = (kind: ProfileKind, on: boolean): void =>
    capture({ profile: on ? [...draft.profile, kind] : draft.profile.filter((k) => k !== kind) })
  return (
    <fieldset className="form-section">
      <legend>Capture</legend>
      <div className="check-grid">
        {PROFILE_KINDS.map((p) => (
          <label key={p.kind} className="check check-card">
            <input
              type="checkbox"
              checked={draft.profile.includes(p.kind)}
              onChange={(e) => toggle(p.kind, e.target.checked)}
              name={`profile-${p.kind}`}
            />
            <span>
              <span className="check-title">{p.label}</span>
              <span className="check-hint">{p.hint}</span>
            </span>
          </label>
        ))}
      </div>
      <div className="field-grid">
        <TextField
          id="launch-sampling"
          label="CPU sampling interval"
          unit="µs"
          numeric
          value={draft.samplingIntervalUs}
          onChange={(samplingIntervalUs) => onChange({ samplingIntervalUs })}
          error={errors.samplingIntervalUs}
          disabled={!draft.profile.includes('cpu')}
          hint="Smaller is finer and costs more."
        />
        <div className="field">
          <span className="field-label">Heap snapshots</span>
          <div className="inline-checks">
            <label className="check">
              <input type="checkbox" checked={draft.heapStart} onChange={(e) => capture({ heapStart: e.target.checked })} />
              <span>at start</span>
            </label>
            <label className="check">
              <input type="checkbox" checked={draft.heapEnd} onChange={(e) => capture({ heapEnd: e.target.checked })} />
              <span>at end</span>
            </label>
          </div>
          <p className="field-hint">Start and end together give a leak diff.</p>
        </div>
      </div>
      {draft.profile.length > 0 ? (
        <p className="section-note">
          Profiles are recorded in a second pass after an unprofiled timing pass, so the metrics carry no profiler overhead.
        </p>
      ) : null}
    </fieldset>
  )
}

function RunInfoSection({
  draft,
  errors,
  onChange,
  descriptor,
  runtimeNode,
}: SectionProps & { descriptor: WorkloadDescriptor; runtimeNode: string | undefined }): ReactNode {
  return (
    <fieldset className="form-section">
      <legend>Run</legend>
      <div className="field-grid">
        <TextField
          id="launch-label"
          label="Label"
          value={draft.label}
          placeholder={`${descriptor.title} · ${descriptor.variants.find((v) => v.id === draft.variant)?.title ?? draft.variant}`}
          onChange={(label) => onChange({ label })}
          error={errors.label}
          wide
        />
        <TextField
          id="launch-tags"
          label="Tags"
          value={draft.tags}
          placeholder="baseline, laptop"
          onChange={(tags) => onChange({ tags })}
          error={errors.tags}
          hint="Separated by commas or spaces."
        />
        <TextField
          id="launch-assertions"
          label="Assertions"
          value={draft.assertions ?? ''}
          placeholder="p99<30us; heapGrowth<10%"
          onChange={(assertions) => onChange({ assertions })}
          error={errors.assertions}
          hint="Fail the run unless these hold (semicolons between them). Metrics: p50…p999, opsPerSec, <unit>PerSec, heapGrowth (soak), component:NAME.p99, fn:NAME.self."
          wide
        />
        <TextField
          id="launch-runtime"
          label="Node runtime"
          value={draft.runtime}
          placeholder="the Node running Hotpath"
          onChange={(runtime) => onChange({ runtime })}
          error={errors.runtime}
          hint={runtimeNode ? `Node ${runtimeNode}: checked by the engine.` : 'Path of another node binary (≥ 18), to compare runtimes.'}
          wide
        />
      </div>
    </fieldset>
  )
}
