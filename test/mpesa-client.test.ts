/**
 * The Daraja client against Safaricom's real sandbox host, intercepted with nock: the
 * OAuth token (Basic auth, `expires_in` a string) is cached across calls, shared by
 * concurrent callers and fetched again once expired (an injected clock, no waiting);
 * C2B URL registration posts Daraja's body; errors come back as AppErrors with codes.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import nock from 'nock';
import {
  DarajaClient, DarajaAuthError, DarajaRequestError, DarajaUnreachableError, registerC2bUrls, registerRequest, TOKEN_MARGIN_MS,
} from '../src/mpesa/index.js';
import { blockOutboundHttp } from './helpers/at.js';

const HOST = 'https://sandbox.safaricom.co.ke';
const BASIC = `Basic ${Buffer.from('test-consumer-key:test-consumer-secret').toString('base64')}`;

/** Intercepts `times` token requests with our test credentials, answering `token` (Daraja's shape). */
function tokenAnswers(token: string, opts: { optional?: boolean } = {}) {
  return nock(HOST, { reqheaders: { authorization: BASIC } })
    .get('/oauth/v1/generate').query({ grant_type: 'client_credentials' }).optionally(opts.optional ?? false)
    .reply(200, { access_token: token, expires_in: '3599' });
}

/** Intercepts one register URL call, recording the bearer token and body. */
function registerAnswers(seen: Array<{ auth: string; body: unknown }>, status = 200, answer: unknown = {
  OriginatorCoversationID: '6e86-45dd-91ac-fd5d4178ab523408729', ResponseCode: '0', ResponseDescription: 'success',
}) {
  return nock(HOST).post('/mpesa/c2b/v2/registerurl').reply(function (_uri, body) {
    seen.push({ auth: String(this.req.headers.authorization), body });
    return [status, answer];
  });
}

function client(now: () => number = Date.now, timeoutMs?: number) {
  return new DarajaClient({ environment: 'sandbox', consumerKey: 'test-consumer-key', consumerSecret: 'test-consumer-secret', now, ...(timeoutMs ? { timeoutMs } : {}) });
}

const REQ = { ShortCode: '600999', ResponseType: 'Completed' as const, ConfirmationURL: 'https://x.test/c', ValidationURL: 'https://x.test/v' };

describe('mpesa: Daraja client', () => {
  before(blockOutboundHttp);
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every intercepted Daraja call was made').to.deep.equal([]);
  });

  it('uses the sandbox host and caches the token across calls', async () => {
    const c = client();
    expect(c.baseUrl).to.equal(HOST);
    tokenAnswers('token-1');
    const seen: Array<{ auth: string; body: unknown }> = [];
    registerAnswers(seen);
    registerAnswers(seen);
    await c.registerC2bUrls(REQ);
    await c.registerC2bUrls(REQ);
    expect(seen.map((s) => s.auth)).to.deep.equal(['Bearer token-1', 'Bearer token-1']);
  });

  it('lets concurrent callers share one token fetch', async () => {
    const c = client();
    tokenAnswers('token-shared');
    const tokens = await Promise.all(Array.from({ length: 5 }, () => c.accessToken()));
    expect(new Set(tokens)).to.deep.equal(new Set(['token-shared']));
  });

  it('fetches a new token once the cached one is about to expire (injected clock)', async () => {
    let now = 1_000_000;
    const c = client(() => now);
    tokenAnswers('token-old');
    expect(await c.accessToken()).to.equal('token-old');
    now += 3599 * 1000 - TOKEN_MARGIN_MS - 1;
    expect(await c.accessToken()).to.equal('token-old');
    now += 1;
    tokenAnswers('token-new');
    expect(await c.accessToken()).to.equal('token-new');
  });

  it('fetches a new token after expireToken(), and after Daraja refuses the token with 401', async () => {
    const c = client();
    tokenAnswers('token-a');
    expect(await c.accessToken()).to.equal('token-a');
    c.expireToken();
    tokenAnswers('token-b');
    expect(await c.accessToken()).to.equal('token-b');

    const seen: Array<{ auth: string; body: unknown }> = [];
    registerAnswers(seen, 401, { requestId: '11728-2929992-1', errorCode: '401.003.01', errorMessage: 'Error Occurred - Invalid Access Token - token-b' });
    tokenAnswers('token-c');
    registerAnswers(seen);
    await c.registerC2bUrls(REQ);
    expect(seen.map((s) => s.auth)).to.deep.equal(['Bearer token-b', 'Bearer token-c']);
  });

  it('registers the C2B URLs for MPESA_SHORTCODE with Daraja\'s body and answers what Daraja said', async () => {
    expect(registerRequest()).to.deep.equal({
      ShortCode: '600999',
      ResponseType: 'Completed',
      ConfirmationURL: 'https://simu.example.test/mpesa/test-mpesa-callback-token/c2b/confirmation',
      ValidationURL: 'https://simu.example.test/mpesa/test-mpesa-callback-token/c2b/validation',
    });
    tokenAnswers('token-shared-client', { optional: true }); // the process's client may hold one already
    const seen: Array<{ auth: string; body: unknown }> = [];
    registerAnswers(seen);
    const answer = await registerC2bUrls();
    expect(answer).to.include({ ResponseCode: '0', ResponseDescription: 'success' });
    expect(seen[0].body).to.deep.equal(registerRequest());
  });

  it('turns Daraja\'s refusals, bad credentials and silence into AppErrors with clear codes', async () => {
    const c = client(Date.now, 200);
    nock(HOST).get('/oauth/v1/generate').query(true).reply(400, { requestId: '', errorCode: '400.008.01', errorMessage: 'Invalid Authentication passed' });
    const auth = await c.accessToken().catch((e: unknown) => e);
    expect(auth).to.be.instanceOf(DarajaAuthError).with.property('code', 'daraja_auth_failed');

    tokenAnswers('token-x');
    nock(HOST).post('/mpesa/c2b/v2/registerurl').reply(500, { requestId: 'r1', errorCode: '500.003.1001', errorMessage: 'Urls are already registered' });
    const refused = await c.registerC2bUrls(REQ).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(DarajaRequestError).with.property('darajaCode', '500.003.1001');

    nock(HOST).post('/mpesa/c2b/v2/registerurl').delay(2_000).reply(200, {});
    const silent = await c.registerC2bUrls(REQ).catch((e: unknown) => e);
    expect(silent).to.be.instanceOf(DarajaUnreachableError).with.property('code', 'daraja_unreachable');
  });

  it('npm run mpesa:register-urls exits 1 with a clear message when configuration is missing', function () {
    this.timeout(30_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/mpesa/cli.ts'], {
      env: { ...process.env, MPESA_SHORTCODE: '', MPESA_CALLBACK_TOKEN: '' }, encoding: 'utf8',
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('M-Pesa is not configured: set MPESA_SHORTCODE, MPESA_CALLBACK_TOKEN');
  });
});
