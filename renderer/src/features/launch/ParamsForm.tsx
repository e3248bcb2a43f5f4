/**
 * Inputs generated from a workload's ParamSpec: numbers as text fields (validated by parseParamValue,
 * so "1_000" and the messages match the CLI), enums as selects, booleans as checkboxes. Each shows its
 * unit, range and default, and the problem with its current value.
 */
import type { ReactNode } from 'react'
import type { ParamSpec } from '../../../../core/model/workload.js'
import { paramHint } from './launch-form.js'

export interface ParamsFormProps {
  params: Record<string, ParamSpec>
  values: Record<string, string>
  errors: Partial<Record<string, string>>
  onChange(name: string, text: string): void
}

export function ParamsForm({ params, values, errors, onChange }: ParamsFormProps): ReactNode {
  const entries = Object.entries(params)
  if (entries.length === 0) return <p className="muted">This workload has no parameters.</p>
  return (
    <div className="field-grid">
      {entries.map(([name, spec]) => {
        const id = `param-${name}`
        const value = values[name] ?? String(spec.default)
        const error = errors[`param.${name}`]
        const describedBy = `${id}-hint${error ? ` ${id}-error` : ''}`
        const changed = value !== String(spec.default)
        return (
          <div key={name} className={`field ${error ? 'invalid' : ''}`}>
            <label htmlFor={id} className="field-label">
              <span className="mono">{name}</span>
              {changed ? (
                <button
                  type="button"
                  className="link-btn"
                  onClick={() => onChange(name, String(spec.default))}
                  title={`Reset to ${String(spec.default)}`}
                >
                  reset
                </button>
              ) : null}
            </label>
            {spec.type === 'enum' ? (
              <select id={id} value={value} onChange={(e) => onChange(name, e.target.value)} aria-describedby={describedBy}>
                {spec.values.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            ) : spec.type === 'boolean' ? (
              <label className="check">
                <input
                  id={id}
                  type="checkbox"
                  checked={/^(true|1|yes|on)$/i.test(value)}
                  onChange={(e) => onChange(name, String(e.target.checked))}
                  aria-describedby={describedBy}
                />
                <span>{/^(true|1|yes|on)$/i.test(value) ? 'on' : 'off'}</span>
              </label>
            ) : (
              <div className="input-with-unit">
                <input
                  id={id}
                  type="text"
                  inputMode={spec.type === 'int' ? 'numeric' : 'decimal'}
                  value={value}
                  onChange={(e) => onChange(name, e.target.value)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy}
                  spellCheck={false}
                  autoComplete="off"
                />
                {spec.unit ? <span className="unit">{spec.unit}</span> : null}
              </div>
            )}
            <p id={`${id}-hint`} className="field-hint">
              {spec.description} <span className="muted">({paramHint(spec)})</span>
            </p>
            {error ? (
              <p id={`${id}-error`} className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
        )
      })}
    </div>
  )
}
