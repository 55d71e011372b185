/**
 * How alert labels become an incident's severity, pipeline, models and title. The defaults follow common label
 * conventions (`severity`, `pipeline`/`service`, `model`); a team changes them in the configuration file.
 */
import { z } from 'zod'
import type { AlertmanagerWebhook } from './schemas'
import type { NormalizedAlert } from './normalize'

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const
export type Severity = (typeof SEVERITIES)[number]

export const alertMappingSchema = z.object({
  severityLabel: z.string().default('severity'),
  severityValues: z.record(z.string(), z.enum(SEVERITIES)).default({
    critical: 'SEV1', page: 'SEV1', sev1: 'SEV1', p1: 'SEV1',
    error: 'SEV2', high: 'SEV2', major: 'SEV2', sev2: 'SEV2', p2: 'SEV2',
    warning: 'SEV3', warn: 'SEV3', medium: 'SEV3', sev3: 'SEV3', p3: 'SEV3',
    info: 'SEV4', low: 'SEV4', minor: 'SEV4', sev4: 'SEV4', p4: 'SEV4', none: 'SEV4',
  }),
  defaultSeverity: z.enum(SEVERITIES).default('SEV3'),
  pipelineLabels: z.array(z.string()).default(['pipeline', 'service']),
  modelLabels: z.array(z.string()).default(['model', 'model_name']),
  /** resolve the incident when every alert of its group has resolved (default: a person resolves it) */
  autoResolve: z.boolean().default(false),
})
export type AlertMapping = z.infer<typeof alertMappingSchema>
export const DEFAULT_ALERT_MAPPING: AlertMapping = alertMappingSchema.parse({})

export function severityOf(labels: Record<string, string>, mapping: AlertMapping): Severity {
  const value = labels[mapping.severityLabel]?.trim().toLowerCase()
  return (value && mapping.severityValues[value]) || mapping.defaultSeverity
}

/** The most severe of several (SEV1 beats SEV3). */
export function mostSevere(severities: Severity[]): Severity {
  return [...severities].sort()[0] ?? 'SEV4'
}

export interface IncidentFields {
  title: string
  severity: Severity
  pipeline: string | null
  models: string[]
}

/** The alert names of a group without a common one, as a title reads them: "A", "A and B", "A, B and 3 more". */
export function namesOf(alertnames: string[]): string {
  const names = [...new Set(alertnames)]
  if (names.length <= 2) return names.join(' and ')
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`
}

export function incidentFieldsFor(payload: AlertmanagerWebhook, alerts: NormalizedAlert[], mapping: AlertMapping): IncidentFields {
  const firing = alerts.filter((a) => a.status === 'firing')
  const considered = firing.length > 0 ? firing : alerts
  const severity = mostSevere(considered.map((a) => severityOf(a.labels, mapping)))
  const labelValue = (names: string[], labels: Record<string, string>) => names.map((n) => labels[n]).find((v) => v && v.trim())
  const pipeline = labelValue(mapping.pipelineLabels, payload.commonLabels) ?? considered.map((a) => labelValue(mapping.pipelineLabels, a.labels)).find(Boolean) ?? null
  const models = [...new Set(considered.flatMap((a) => mapping.modelLabels.map((n) => a.labels[n]).filter((v): v is string => !!v)))].sort()
  const alertname = payload.commonLabels.alertname ?? payload.groupLabels.alertname
  const summary = payload.commonAnnotations.summary
  const title = (summary || [alertname ?? namesOf(alerts.map((a) => a.alertname)), pipeline && `on ${pipeline}`].filter(Boolean).join(' ')).slice(0, 200)
  return { title, severity, pipeline, models }
}
