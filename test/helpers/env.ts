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
// Daraja's sandbox host (nock intercepts it) and the banks' webhook secrets.
process.env.MPESA_ENVIRONMENT ??= 'sandbox';
process.env.MPESA_CONSUMER_KEY ??= 'test-consumer-key';
process.env.MPESA_CONSUMER_SECRET ??= 'test-consumer-secret';
process.env.MPESA_SHORTCODE ??= '600999';
process.env.MPESA_PASSKEY ??= 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';
process.env.MPESA_B2C_SHORTCODE ??= '600998';
process.env.MPESA_B2C_INITIATOR_NAME ??= 'testapi';
process.env.MPESA_B2C_SECURITY_CREDENTIAL ??= 'test-security-credential';
process.env.MPESA_CALLBACK_TOKEN ??= 'test-mpesa-callback-token';
process.env.PUBLIC_URL ??= 'https://simu.example.test';
process.env.BANK_EQUITY_SECRET ??= 'test-equity-secret-0123456789';
process.env.BANK_KCB_SECRET ??= 'test-kcb-secret-0123456789';
process.env.NODE_ENV = 'test';
