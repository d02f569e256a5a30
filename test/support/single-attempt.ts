/**
 * Client options for tests of how one vendor answer maps to a result or a typed error: one
 * attempt, no circuit breaker. Retries and the breaker have tests of their own.
 */
export const SINGLE_ATTEMPT = { policy: { maxAttempts: 1, breakerFailureThreshold: Number.POSITIVE_INFINITY } } as const;
