/**
 * Test environment, loaded by mocha before anything else (config is read once, at the
 * first import of src/config): the test database `simu_test`, Redis database 1, and an AT
 * username that is not `sandbox`, so the SDK calls AT's production endpoints, which nock
 * intercepts.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/simu_test';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379/1';
process.env.PIN_SECRET ??= 'test-pin-secret-0123456789abcdef0123456789';
process.env.AT_USERNAME ??= 'simu-test';
process.env.AT_API_KEY ??= 'test-at-key';
process.env.AT_SENDER_ID ??= 'SIMU';
process.env.USSD_SERVICE_CODE ??= '*384#';
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV = 'test';
