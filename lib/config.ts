/**
 * The configuration file: settings that are more than a variable (label mappings now; backends, SLOs and signal
 * thresholds as those features land). JSON at FIREBREAK_CONFIG, or ./firebreak.config.json when present; every field
 * has a default, and a mistake stops start-up naming the field.
 */
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { alertMappingSchema } from '@/lib/alerts/mapping'
import { ConfigError } from '@/lib/env'
import { DEFAULT_FLEET_CONFIG, fleetConfigSchema } from '@/lib/fleet/config'
import { classifyConfigSchema } from '@/lib/classify/config'
import { traceConfigSchema } from '@/lib/traces/config'

export const fileConfigSchema = z
  .object({
    alerts: alertMappingSchema.default(alertMappingSchema.parse({})),
    fleet: fleetConfigSchema.default(DEFAULT_FLEET_CONFIG),
    // lazy: lib/traces/config imports this module for getTraceConfig, so its schema may not exist yet while this one loads
    traces: z.lazy(() => traceConfigSchema).prefault({}),
    classify: z.lazy(() => classifyConfigSchema).prefault({}),
  })
  .strict()
export type FileConfig = z.infer<typeof fileConfigSchema>

export function parseFileConfig(text: string, source: string): FileConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new ConfigError([`${source} is not valid JSON: ${(error as Error).message}`])
  }
  const parsed = fileConfigSchema.safeParse(raw)
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${source}: ${i.path.join('.') || '(top level)'} ${i.message}`))
  return parsed.data
}

let cached: FileConfig | undefined

export function getFileConfig(): FileConfig {
  if (cached) return cached
  const explicit = process.env.FIREBREAK_CONFIG
  // read at run time from the working directory; the bundler must not try to trace it
  const file = path.resolve(/* turbopackIgnore: true */ process.cwd(), explicit ?? 'firebreak.config.json')
  if (!fs.existsSync(file)) {
    if (explicit) throw new ConfigError([`FIREBREAK_CONFIG points at ${file}, which does not exist`])
    cached = fileConfigSchema.parse({})
  } else {
    cached = parseFileConfig(fs.readFileSync(file, 'utf8'), file)
  }
  return cached
}
