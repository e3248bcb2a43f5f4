/**
 * This machine's environment report (getEnvironment): the facts that matter for benchmarks, redacted
 * by default, with Copy as Markdown for issues and Save JSON for the record.
 */
import { type ReactNode, useCallback, useEffect, useState } from 'react'
import type { EnvironmentReport } from '../../../../core/api/schemas.js'
import { Icon } from '../../components/Icon.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { downloadBytes, exportFileName } from '../../lib/download.js'
import { errorMessage } from '../../lib/errors.js'
import { useApi } from '../../state/store.js'
import { environmentFacts } from '../runs/run-facts.js'

type LoadState = { status: 'loading' } | { status: 'ready'; report: EnvironmentReport } | { status: 'error'; error: string }

export function EnvironmentView(): ReactNode {
  const api = useApi()
  const [redact, setRedact] = useState(true)
  const [state, setState] = useState<LoadState>({ status: 'loading' })
  const [copied, setCopied] = useState<'idle' | 'copied' | string>('idle')

  const load = useCallback(
    async (redactNow: boolean, signal: { cancelled: boolean }) => {
      setState((s) => (s.status === 'ready' ? s : { status: 'loading' }))
      try {
        const report = await api.getEnvironment({ redact: redactNow })
        if (!signal.cancelled) setState({ status: 'ready', report })
      } catch (err) {
        if (!signal.cancelled) setState({ status: 'error', error: errorMessage(err) })
      }
    },
    [api],
  )

  useEffect(() => {
    const signal = { cancelled: false }
    void load(redact, signal)
    return () => {
      signal.cancelled = true
    }
  }, [redact, load])

  const report = state.status === 'ready' ? state.report : null
  const env = report?.environment

  const copy = async (): Promise<void> => {
    if (!report) return
    try {
      await navigator.clipboard.writeText(report.markdown)
      setCopied('copied')
      setTimeout(() => setCopied('idle'), 2000)
    } catch (err) {
      setCopied(`Could not copy: ${errorMessage(err)}`)
    }
  }

  return (
    <section className="view" aria-labelledby="env-view-title">
      <header className="view-header">
        <div>
          <h1 id="env-view-title">Environment</h1>
          <p className="view-subtitle">The machine runs are measured on. Every run records its own copy of these facts.</p>
        </div>
        <div className="view-actions">
          <label className="switch">
            <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} />
            <span className="switch-track" aria-hidden="true" />
            Redact identifying facts
          </label>
          <button type="button" className="btn" onClick={() => void copy()} disabled={!report}>
            <Icon name={copied === 'copied' ? 'check' : 'copy'} /> {copied === 'copied' ? 'Copied' : 'Copy as Markdown'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={!env}
            onClick={() =>
              env &&
              downloadBytes(
                JSON.stringify(env, null, 2) + '\n',
                exportFileName(`hotpath-environment${env.redacted ? '' : '-unredacted'}`, 'json'),
                'application/json',
              )
            }
          >
            <Icon name="download" /> Save JSON
          </button>
        </div>
      </header>
      <div className="view-body detail-body">
        {copied !== 'idle' && copied !== 'copied' ? (
          <p className="field-error" role="alert">
            {copied}
          </p>
        ) : null}
        {state.status === 'error' ? (
          <ErrorBox title="Could not read the environment" onRetry={() => void load(redact, { cancelled: false })}>
            {state.error}
          </ErrorBox>
        ) : !env ? (
          <p className="muted">Reading the environment…</p>
        ) : (
          <>
            {!env.redacted ? (
              <p className="banner-inline warn flush">
                <Icon name="alert" /> Not redacted: host name, user, serial numbers, UUIDs and network addresses are shown. Redact before
                sharing.
              </p>
            ) : (
              <p className="section-note flush">
                Host name, user, serials, UUIDs, MAC and IP addresses and home paths are replaced by “[redacted]”. Everything that affects
                performance stays.
              </p>
            )}
            <div className="detail-grid">
              <section className="panel" aria-labelledby="env-facts">
                <h2 id="env-facts" className="panel-title">
                  Facts
                </h2>
                <dl className="facts">
                  {environmentFacts(env).map(([k, v]) => (
                    <div className="fact" key={k}>
                      <dt>{k}</dt>
                      <dd>{v}</dd>
                    </div>
                  ))}
                  {env.machine?.serial !== undefined ? (
                    <div className="fact">
                      <dt>Serial</dt>
                      <dd>{env.machine.serial}</dd>
                    </div>
                  ) : null}
                  {env.machine?.uuid !== undefined ? (
                    <div className="fact">
                      <dt>Hardware UUID</dt>
                      <dd className="mono">{env.machine.uuid}</dd>
                    </div>
                  ) : null}
                  {env.user?.name !== undefined ? (
                    <div className="fact">
                      <dt>User</dt>
                      <dd>{env.user.name}</dd>
                    </div>
                  ) : null}
                  {(env.network ?? []).map((n) => (
                    <div className="fact" key={n.iface}>
                      <dt>Network {n.iface}</dt>
                      <dd className="mono">
                        {[n.mac && `MAC ${n.mac}`, n.ip4 && `IPv4 ${n.ip4}`, n.ip6 && `IPv6 ${n.ip6}`, n.ssid && `SSID ${n.ssid}`]
                          .filter(Boolean)
                          .join(' · ') || '–'}
                      </dd>
                    </div>
                  ))}
                </dl>
                {env.unavailable && env.unavailable.length > 0 ? (
                  <p className="section-note">Not available: {env.unavailable.join('; ')}</p>
                ) : null}
              </section>
              <section className="panel" aria-labelledby="env-md">
                <h2 id="env-md" className="panel-title">
                  Markdown <span className="muted">· what Copy puts on the clipboard</span>
                </h2>
                <pre className="markdown-preview">{report.markdown}</pre>
              </section>
            </div>
          </>
        )}
      </div>
    </section>
  )
}
