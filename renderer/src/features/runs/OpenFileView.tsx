/**
 * #/open: the profile file just chosen or dropped, shown at once. The profile worker parses the File
 * itself (the page never holds its bytes), and then the engine imports the same file as a run, so the
 * flame graph does not wait for the upload, the import and a read back from the store; the header says
 * where the import is and links to the run once it is saved. A File lives only as long as the page:
 * after a reload this view says so and points to the runs library.
 */
import { type ReactNode, useEffect, useState } from 'react'
import { formatBytes } from '../../../../core/format/bytes.js'
import { FORMAT_NAMES } from '../../../../core/import/index.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { BackToRuns } from '../../components/BackToRuns.js'
import { Icon } from '../../components/Icon.js'
import { useWorkbench } from '../../state/store.js'
import type { OpenedProfile } from '../../workers/profile-client.js'
import { ProfileTab, useOpenedBlob, useProfileClient } from './RunProfiles.js'

export function OpenFileView(): ReactNode {
  const opened = useWorkbench((s) => s.openedFile)
  const navigate = useWorkbench((s) => s.navigate)
  const client = useProfileClient()
  // Which of the file's profiles is shown (a trace's threads): the file's first until one is picked.
  const [picked, setPicked] = useState<string | undefined>(undefined)
  const profile = useOpenedBlob(client, opened?.file ?? null, opened?.name ?? '', picked)
  // The choices stay listed while another one opens.
  const [choices, setChoices] = useState<OpenedProfile['choices']>([])
  const readyChoices = profile.status === 'ready' ? profile.value.choices : null
  useEffect(() => {
    if (readyChoices) setChoices(readyChoices)
  }, [readyChoices])
  const [selected, setSelected] = useState<NodeIndex | null>(null)
  // The import waits for the first paint (or the error, or leaving this view): see OpenedFile.shown.
  const markShown = useWorkbench((s) => s.markOpenedFileShown)
  const seq = opened?.seq ?? 0
  const settled = profile.status !== 'loading'
  useEffect(() => {
    if (!settled) return
    // After the frame that paints the flame graph; by a timer too, as a hidden tab runs no frames.
    const frame = requestAnimationFrame(() => markShown(seq))
    const timer = setTimeout(() => markShown(seq), 250)
    return () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
    }
  }, [settled, seq, markShown])
  useEffect(() => () => markShown(seq), [seq, markShown])
  const back = <BackToRuns />
  if (!opened) {
    return (
      <section className="view" aria-labelledby="open-title">
        <header className="view-header detail-header">
          <div className="detail-heading">
            {back}
            <h1 id="open-title">No file open</h1>
            <p className="view-subtitle">
              A profile you choose with Import or drop on the window opens here, and is then saved as a run. Files opened before a reload
              are in the runs library.
            </p>
          </div>
        </header>
      </section>
    )
  }
  const imp = opened.import
  const ready = profile.status === 'ready' ? profile.value : null
  return (
    <section className="view view-detail view-open" aria-labelledby="open-title">
      <header className="view-header detail-header">
        <div className="detail-heading">
          {back}
          <div className="detail-title-row">
            <h1 id="open-title" className="mono">
              {opened.name}
            </h1>
          </div>
          <p className="view-subtitle">
            {formatBytes(opened.file.size)}
            {ready
              ? ` · ${FORMAT_NAMES[ready.sourceFormat]}${ready.choices.length > 1 ? ` · ${ready.choices.length} profiles in the file` : ''}`
              : ''}
          </p>
          {choices.length > 1 ? (
            <label className="open-choice">
              Profile shown{' '}
              <select
                title="The run saved from this file keeps its first profile (a trace's main thread)"
                value={picked ?? ready?.chosen ?? choices[0]?.key ?? ''}
                onChange={(e) => {
                  setSelected(null)
                  setPicked(e.target.value)
                }}
              >
                {choices.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
        <div className="view-actions">
          <p className={`open-import open-import-${imp.status}`} role="status" data-testid="open-import">
            {imp.status === 'importing' ? (
              <>
                <Icon name="upload" /> Saving as a run…
              </>
            ) : imp.status === 'saved' ? (
              <>
                <Icon name="check" /> Saved as a run
              </>
            ) : (
              <>
                {/* When the file did not open here either, the error below says why; else the engine's reason. */}
                <Icon name="alert" /> {profile.status === 'error' ? 'Not saved as a run' : `Not saved: ${imp.message}`}
              </>
            )}
          </p>
          {imp.status === 'saved' ? (
            <button type="button" className="btn" onClick={() => navigate({ view: 'run', runId: imp.runId })}>
              <Icon name="runs" /> Open the run
            </button>
          ) : null}
        </div>
      </header>
      <div className="view-body detail-body">
        <section aria-label="Profile">
          <ProfileTab
            state={profile}
            what="profile"
            progress={profile.progress}
            client={client}
            selected={selected}
            onSelect={setSelected}
            mode="flame"
          />
        </section>
      </div>
    </section>
  )
}
