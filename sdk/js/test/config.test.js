import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiUrl, readConfig } from '../src/config.js';
import { location } from './fake-dom.js';

const page = location('https://site.example/blog/post');

test('a bare tag gets the documented defaults', () => {
  const cfg = readConfig({ dataset: { endpoint: 'https://sidecar.example/v1/' } }, page);
  assert.equal(cfg.endpoint, 'https://sidecar.example/v1');
  assert.equal(cfg.timeout, 300);
  assert.equal(cfg.budget, 300);
  assert.equal(cfg.consentRequired, false);
  assert.equal(cfg.respectDnt, false);
  assert.equal(cfg.debug, false);
  assert.equal(cfg.sameOrigin, false);
});

test('data attributes override the defaults', () => {
  const cfg = readConfig({ dataset: {
    endpoint: '/wp-json/pertinent/v1', siteKey: 'pk_test', timeout: '150', antiflicker: '200',
    requireConsent: '', respectDnt: 'true', debug: '', contentId: '42' } }, page);
  assert.equal(cfg.timeout, 150);
  assert.equal(cfg.budget, 200);
  assert.equal(cfg.consentRequired, true);
  assert.equal(cfg.respectDnt, true);
  assert.equal(cfg.debug, true);
  assert.equal(cfg.contentId, '42');
  assert.equal(cfg.sameOrigin, true, 'a relative endpoint is the site itself (the WordPress proxy)');
});

test('a flag set to "false" is off', () => {
  assert.equal(readConfig({ dataset: { endpoint: '/x', debug: 'false' } }, page).debug, false);
});

test('the site key travels in the query string, url-encoded', () => {
  const cfg = readConfig({ dataset: { endpoint: 'http://127.0.0.1:8000/v1', siteKey: 'a b&c' } }, page);
  assert.equal(apiUrl(cfg, 'decide'), 'http://127.0.0.1:8000/v1/decide?key=a%20b%26c');
  assert.equal(apiUrl({ ...cfg, key: '' }, 'events'), 'http://127.0.0.1:8000/v1/events');
  const plain = readConfig({ dataset: { endpoint: 'https://site.example/index.php?rest_route=/pertinent/v1', siteKey: 'pk' } }, page);
  assert.equal(apiUrl(plain, 'decide'), 'https://site.example/index.php?rest_route=/pertinent/v1/decide&key=pk',
    'WordPress without pretty permalinks');
});

test('the slots part is found beside the script, with its version query, unless the tag names it', () => {
  const tag = { src: 'https://site.example/wp-content/plugins/pertinent/assets/js/pertinent.min.js?ver=0.2', dataset: {} };
  assert.equal(readConfig(tag, page).slotsSrc,
    'https://site.example/wp-content/plugins/pertinent/assets/js/pertinent-slots.min.js?ver=0.2');
  const named = { ...tag, dataset: { slotsSrc: 'https://cdn.example/p-slots.js' } };
  assert.equal(readConfig(named, page).slotsSrc, 'https://cdn.example/p-slots.js');
  assert.equal(readConfig({ dataset: {} }, page).slotsSrc, undefined, 'an inline script has no beside');
});
