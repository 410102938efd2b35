/**
 * The AT transport behind a proxy (src/sms/at-transport.ts): SMS requests share kept-alive
 * CONNECT tunnels, TLS to AT is still verified, a proxy's refusal is an error. Runs against
 * the bench's AT stand-in (a real proxy and a real TLS server on 127.0.0.1).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import https from 'node:https';
import nock from 'nock';
import { startAtStandIn, type AtStandIn } from '../bench/at-standin.js';
import { ProxyTunnelAgent } from '../src/sms/at-transport.js';
import { blockOutboundHttp } from './helpers/at.js';

function post(agent: https.Agent, host: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host, port: 443, method: 'POST', path: '/version1/messaging', agent,
      headers: { apikey: 'k', 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('AT transport behind a proxy (ProxyTunnelAgent)', () => {
  let at: AtStandIn;
  before(async () => {
    at = await startAtStandIn({ apiKey: 'k', username: 'u' });
    // The stand-in answers for api.africastalking.com through its proxy: no nock here (its
    // pass-through does not wait for an agent's asynchronous createConnection).
    nock.restore();
  });
  after(async () => {
    nock.activate();
    blockOutboundHttp();
    await at.close();
  });

  it('sends SMS one after another through one kept-alive tunnel, TLS verified against the CA', async () => {
    const agent = new ProxyTunnelAgent(new URL(`http://127.0.0.1:${at.port}`), { ca: fs.readFileSync(at.caFile) });
    try {
      const before = at.tunnels();
      for (let i = 0; i < 3; i += 1) {
        const res = await post(agent, 'api.africastalking.com', new URLSearchParams({ username: 'u', to: '+254790000001', message: `hello ${i}` }).toString());
        expect(res.status).to.equal(201);
        expect(JSON.parse(res.body).SMSMessageData.Recipients[0]).to.include({ statusCode: 101, number: '+254790000001' });
      }
      expect(at.tunnels() - before).to.equal(1);
      expect(at.received.map((r) => r.message).slice(-3)).to.deep.equal(['hello 0', 'hello 1', 'hello 2']);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a certificate it cannot verify', async () => {
    const agent = new ProxyTunnelAgent(new URL(`http://127.0.0.1:${at.port}`));
    try {
      const err = await post(agent, 'api.africastalking.com', 'to=%2B254790000001&message=x').then(() => null, (e: Error) => e);
      expect(err?.message).to.match(/certificate/);
    } finally {
      agent.destroy();
    }
  });

  it('fails the request when the proxy refuses the CONNECT', async () => {
    const agent = new ProxyTunnelAgent(new URL(`http://127.0.0.1:${at.port}`), { ca: fs.readFileSync(at.caFile) });
    try {
      const err = await post(agent, 'example.com', 'x').then(() => null, (e: Error & { code?: string }) => e);
      expect(err).to.include({ code: 'ECONNREFUSED' });
      expect(err?.message).to.match(/HTTP 403/);
    } finally {
      agent.destroy();
    }
  });
});
