/**
 * Mocha root hooks: point Simu at the test database (`simu_test`) and Redis database 1,
 * migrate and seed once, and close connections at the end. Environment is set before any
 * Simu module is imported, since config is read once at import.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/simu_test';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379/1';
process.env.PIN_SECRET ??= 'test-pin-secret-0123456789abcdef0123456789';
// Not `sandbox`: the SDK then calls AT's production endpoints, which nock intercepts.
process.env.AT_USERNAME ??= 'simu-test';
process.env.AT_API_KEY ??= 'test-at-key';
process.env.AT_SENDER_ID ??= 'SIMU';
process.env.USSD_SERVICE_CODE ??= '*384#';
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV = 'test';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    const { db, ensureDatabase } = await import('../../src/db/index.js');
    await ensureDatabase();
    await db.migrate.latest();
    await db.seed.run();
  },
  async afterAll() {
    const { closeTestResources } = await import('./resources.js');
    await closeTestResources();
  },
};
