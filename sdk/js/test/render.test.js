import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hide, renderSlot, safeUrl } from '../src/render.js';
import { el, location, makeDocument } from './fake-dom.js';

const page = location('https://www.site.example/blog/post');
const crossOrigin = { sameOrigin: false };

function slotWithDefault(doc, attrs = {}) {
  const slot = el(doc, 'div', { 'data-pertinent-slot': 'hero', ...attrs }, [el(doc, 'p', {}, ['default'])]);
  doc.body.appendChild(slot);
  return slot;
}

test('links must be http(s) on this site, or relative', () => {
  assert.equal(safeUrl('/post/2', page), 'https://www.site.example/post/2');
  assert.equal(safeUrl('https://site.example/post/3', page), 'https://site.example/post/3');
  assert.equal(safeUrl('http://www.site.example/x', page), 'http://www.site.example/x');
  assert.equal(safeUrl('javascript:alert(1)', page), null);
  assert.equal(safeUrl('JavaScript:alert(1)', page), null);
  assert.equal(safeUrl('data:text/html,<script>1</script>', page), null);
  assert.equal(safeUrl('https://evil.example/post', page), null);
  assert.equal(safeUrl('//evil.example/post', page), null);
  assert.equal(safeUrl(undefined, page), null, 'no url is no link');
  assert.equal(safeUrl('', page), null);
});

test('a banner shows the page template of the first chosen variant', () => {
  const doc = makeDocument();
  const slot = slotWithDefault(doc, { 'data-pertinent-kind': 'banner' });
  const tpl = el(doc, 'template', { 'data-pertinent-variant': '13' });
  tpl.content.appendChild(el(doc, 'strong', {}, ['Spring sale']));
  slot.appendChild(tpl);
  const shown = renderSlot(slot, { kind: 'banner', content_ids: ['99', '13'], source: 'model' }, crossOrigin, doc, page);
  assert.deepEqual(shown, ['13']);
  assert.equal(slot.textContent, 'Spring sale');
  assert.equal(slot.querySelectorAll('template[data-pertinent-variant]').length, 1, 'templates stay for later');
});

test('a banner without a matching template keeps its default', () => {
  const doc = makeDocument();
  const slot = slotWithDefault(doc);
  const res = { kind: 'banner', content_ids: ['13'], items: [{ id: '13', title: 'T', url: '/x' }], source: 'model' };
  assert.equal(renderSlot(slot, res, crossOrigin, doc, page), null);
  assert.equal(slot.textContent, 'default');
});

test('a default decision keeps the default content', () => {
  const doc = makeDocument();
  const slot = slotWithDefault(doc);
  assert.equal(renderSlot(slot, { kind: 'recommendations', content_ids: [], source: 'default' }, crossOrigin, doc, page), null);
  assert.equal(slot.textContent, 'default');
});

test('recommendations become links whose titles are text, never markup', () => {
  const doc = makeDocument();
  const slot = slotWithDefault(doc);
  const res = {
    kind: 'recommendations', source: 'model', content_ids: ['1', '2', '3', '4'],
    items: [
      { id: '1', title: '<img src=x onerror="window.pwned=1">', url: '/post/1' },
      { id: '2', title: 'Evil link', url: 'javascript:window.pwned=1' },
      { id: '3', title: 'Elsewhere', url: 'https://evil.example/3' },
      { id: '4', title: 'Fine', url: 'https://site.example/post/4' },
    ],
  };
  const shown = renderSlot(slot, res, crossOrigin, doc, page);
  assert.deepEqual(shown, ['1', '4']);
  const links = [...slot.walk()].filter((n) => n.nodeName === 'A');
  assert.deepEqual(links.map((a) => a.href), ['https://www.site.example/post/1', 'https://site.example/post/4']);
  assert.equal(links[0].textContent, '<img src=x onerror="window.pwned=1">');
  assert.equal(links[0].childNodes.length, 0, 'the title is text, not parsed');
  assert.deepEqual(slot.querySelectorAll('li[data-pertinent-content-id]').map((li) => li.getAttribute('data-pertinent-content-id')), ['1', '4']);
});

test('a rendered html fragment is used only from a same-origin endpoint', () => {
  const doc = makeDocument();
  const res = { kind: 'recommendations', source: 'model', content_ids: ['1'], items: [], html: '<b>proxy</b>' };
  const cross = slotWithDefault(doc);
  assert.equal(renderSlot(cross, res, crossOrigin, doc, page), null);
  assert.equal(cross.textContent, 'default');
  const same = slotWithDefault(doc);
  assert.deepEqual(renderSlot(same, res, { sameOrigin: true }, doc, page), ['1']);
  assert.equal(same.textContent, '<b>proxy</b>');
});

test('anti-flicker hides with the space kept and reveals within the budget, answer or not', async () => {
  const doc = makeDocument();
  const slot = slotWithDefault(doc, { 'data-pertinent-antiflicker': '' });
  const other = slotWithDefault(doc, { 'data-pertinent-antiflicker': '' });
  const reveal = hide([slot, other], { budget: 30 }, { setTimeout });
  assert.equal(slot.style.visibility, 'hidden', 'visibility, not display: the space is kept');
  reveal();
  assert.equal(slot.style.visibility, '', 'an answer (or a failure) reveals at once');
  hide([other], { budget: 30 }, { setTimeout });
  assert.equal(other.style.visibility, 'hidden');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(other.style.visibility, '', 'no answer: revealed when the budget runs out');
});
