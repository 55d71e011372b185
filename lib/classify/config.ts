/**
 * The wizard's settings under `classify` in firebreak.config.json: thresholds per rule id (the seeds' values are the
 * defaults in ./rules.ts), the confidence below which a step answers "don't know", and the gathering limits.
 */
import { z } from 'zod'
import { getFileConfig } from '@/lib/config'

export const classifyConfigSchema = z
  .object({
    /** rule id → threshold, e.g. { "fc-gpu-memory-peak": 0.9 } */
    thresholds: z.record(z.string().regex(/^[a-z0-9-]+$/, 'is not a rule id'), z.number()).default({}),
    minConfidence: z.number().gt(0).lt(1).default(0.5),
    /** each step's evidence is gathered within this time; what has not answered is reported missing */
    timeoutMs: z.number().int().min(500).max(60_000).default(5_000),
    /** minutes before the incident started that the evidence window includes */
    leadMinutes: z.number().int().min(0).max(720).default(15),
    /** traces of the pipeline examined per step, newest first */
    maxTraces: z.number().int().min(1).max(200).default(20),
  })
  .strict()
export type ClassifyConfig = z.infer<typeof classifyConfigSchema>

export const DEFAULT_CLASSIFY_CONFIG: ClassifyConfig = classifyConfigSchema.parse({})

export function getClassifyConfig(): ClassifyConfig {
  return getFileConfig().classify
}
