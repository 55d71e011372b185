// `server-only` throws unless bundled for React Server Components; under Vitest the guard has nothing to guard.
export {}
