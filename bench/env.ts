/**
 * The bench's environment: its own database (`simu_bench`) and Redis database 2, so that
 * it never touches a developer's data. Simu reads its configuration once, at the first
 * import of src/config, so `applyBenchEnv()` must run before any src module is imported
 * (bench/index.ts imports them dynamically, after calling it). They override both the
 * shell and `.env` (which src/config loads without overriding what is already set).
 */

/**
 * The database the bench drops and recreates on every run (`BENCH_DATABASE` overrides it,
 * e.g. to run two benches side by side; its name must still start with `simu_bench`).
 */
export const BENCH_DATABASE = process.env.BENCH_DATABASE?.startsWith('simu_bench') ? process.env.BENCH_DATABASE : 'simu_bench';

/** The Redis database the bench uses (`BENCH_REDIS_DB` overrides the default 2). */
export const BENCH_REDIS_DB = /^[2-9]$|^1[0-5]$/.test(process.env.BENCH_REDIS_DB ?? '') ? process.env.BENCH_REDIS_DB! : '2';

/** The bench's environment, for this process and the Simu server child. */
export function benchEnv(): Record<string, string> {
  return {
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${BENCH_DATABASE}`,
    REDIS_URL: `redis://127.0.0.1:6379/${BENCH_REDIS_DB}`,
    PIN_SECRET: 'bench-pin-secret-0123456789abcdef0123456789',
    AT_USERNAME: 'simu-bench',
    AT_API_KEY: 'bench-at-key',
    USSD_SERVICE_CODE: '*384#',
    // One log line per hop would measure winston and the pipe, not Simu.
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    // Empty counts as unset for src/config, and keeps `.env` from setting it: a callback
    // token from a developer's .env would 404 every hop.
    AT_CALLBACK_TOKEN: '',
  };
}

/** Sets the bench's environment on this process; returns it. */
export function applyBenchEnv(): Record<string, string> {
  const env = benchEnv();
  Object.assign(process.env, env);
  return env;
}
