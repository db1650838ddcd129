import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, pageContext, requestDecision, slotRequest } from '../src/decide.js';
import { el, makeDocument, makeWindow } from './fake-dom.js';

const cfg = { endpoint: 'http://127.0.0.1:8000/v1', key: 'pk_site', timeout: 50, contentId: '7' };

test('a slot element says what it asks for', () => {
  const doc = makeDocument();
  const s = slotRequest(el(doc, 'div', {
    'data-pertinent-slot': 'hero', 'data-pertinent-kind': 'banner', 'data-pertinent-count': '1',
    'data-pertinent-candidates': '12, 13,,14' }));
  assert.deepEqual(s, { name: 'hero', kind: 'banner', count: 1, candidates: ['12', '13', '14'] });
  assert.deepEqual(slotRequest(el(doc, 'div', { 'data-pertinent-slot': 'more' })),
    { name: 'more', kind: 'recommendations', count: 1 });
});

test('the page context carries utm parameters, device, locale and consent', () => {
  const win = makeWindow('https://site.example/p?utm_source=news&utm_campaign=spring&x=1', { innerWidth: 400 });
  win.document.referrer = 'https://www.google.com/';
  const ctx = pageContext(cfg, win, false);
  assert.deepEqual(ctx.utm, { source: 'news', campaign: 'spring' });
  assert.equal(ctx.device, 'mobile');
  assert.equal(ctx.locale, 'en-GB');
  assert.equal(ctx.consent, false);
  assert.equal(ctx.content_id, '7');
  assert.equal(ctx.referrer, 'https://www.google.com/');
});

test('decide is one POST with a plain-text JSON body and the key in the query (no CORS preflight)', async () => {
  const calls = [];
  const win = makeWindow(undefined, {
    fetch: async (url, init) => {
      calls.push([url, init]);
      return { ok: true, json: async () => ({ decision_id: 'd1', slots: {} }) };
    },
  });
  const res = await requestDecision(cfg, win, { slots: [{ name: 'hero' }] });
  assert.equal(res.decision_id, 'd1');
  assert.equal(calls.length, 1);
  const [url, init] = calls[0];
  assert.equal(url, 'http://127.0.0.1:8000/v1/decide?key=pk_site');
  assert.equal(init.method, 'POST');
  assert.equal(typeof init.body, 'string', 'a string body is sent as text/plain');
  assert.equal(init.headers, undefined, 'no custom header that would trigger a preflight');
  assert.deepEqual(JSON.parse(init.body), { slots: [{ name: 'hero' }] });
});

test('a slow sidecar is abandoned after the timeout', async () => {
  const win = makeWindow(undefined, {
    fetch: (url, init) => new Promise((resolve, reject) => {
      init.signal.addEventListener('abort', () => reject(new Error('aborted')));
    }),
  });
  await assert.rejects(requestDecision({ ...cfg, timeout: 20 }, win, {}), /aborted/);
});

test('an error status is a failure, so the defaults stay', async () => {
  const win = makeWindow(undefined, { fetch: async () => ({ ok: false, status: 503 }) });
  await assert.rejects(requestDecision(cfg, win, {}));
});

test('a failed decide tells whoever set up the tag what to check', async () => {
  const site = 'https://site.example';
  const failing = (fetch) => requestDecision(cfg, makeWindow(undefined, { fetch }), { slots: [] }).catch((e) => e);
  const refused = await failing(async () => ({ ok: false, status: 401 }));
  assert.match(explain(refused, cfg, site), /refused the key \(401\).*data-site-key.*public key/);
  const missing = await failing(async () => ({ ok: false, status: 404 }));
  assert.match(explain(missing, cfg, site), /does not exist \(404\).*ends in \/v1/);
  // A sidecar answering 404 without CORS headers reaches the page as a bare TypeError.
  const unreachable = await failing(async () => { throw new TypeError('Failed to fetch'); });
  const noV1 = { ...cfg, endpoint: 'http://127.0.0.1:8000' };
  assert.match(explain(unreachable, noV1, site),
    /could not reach http:\/\/127.0.0.1:8000\/decide \(Failed to fetch\): data-endpoint does not end in \/v1;.*PERTINENT_ALLOWED_ORIGINS lists https:\/\/site.example/);
  assert.doesNotMatch(explain(unreachable, cfg, site), /does not end in/);
  const slow = Object.assign(new Error('aborted'), { name: 'AbortError' });
  assert.match(explain(slow, cfg, site), /did not answer within 50 ms \(data-timeout\)/);
});
