// Swaps a slot's default content for the site's own content. Nothing from the response becomes HTML
// except the page's own templates and, from the same-origin WordPress proxy, its escaped fragment.
import { attempt } from './storage.js';

// An http(s) link on this site (or relative to it); anything else (javascript:, data:, elsewhere) is null.
export function safeUrl(u, loc) {
  const x = attempt(() => new URL(u, loc.href));
  return u && x && /^https?:$/.test(x.protocol) && site(x) === site(loc) ? x.href : null;
}

// Same site: the same host, give or take "www.".
const site = (l) => l.hostname.replace(/^www\./, '');

// The page's <template data-pertinent-variant="ID">, inside the slot or anywhere else on the page.
export function findTemplate(id, doc) {
  return [...doc.querySelectorAll('template[data-pertinent-variant]')]
    .find((t) => t.dataset.pertinentVariant === String(id));
}

// Returns the content ids now shown, or null when the default content stays. A banner or CTA shows the
// first chosen variant the page has a template for; recommendations show a list, each item its template
// or a link with the title as text.
export function renderSlot(slot, res, cfg, doc, loc) {
  if (!res || res.source === 'default') return null;
  const ids = (res.content_ids || []).map(String);
  const one = res.kind === 'banner' || res.kind === 'cta';
  const box = doc.createElement('template');
  const shown = [];
  if (cfg.sameOrigin && res.html) {
    box.innerHTML = res.html;
    shown.push(...ids);
  } else {
    const list = one ? box.content : box.content.appendChild(doc.createElement('ul'));
    for (const id of ids) {
      const t = findTemplate(id, doc);
      const item = res.items?.find((i) => i.id == id) || {};
      const href = !one && safeUrl(item.url, loc);
      let node = t ? t.content.cloneNode(true) : href && item.title && doc.createElement('a');
      if (!node || (one && shown.length)) continue;
      if (!t) {
        node.href = href;
        node.textContent = item.title;
      }
      if (!one) {
        const li = doc.createElement('li');
        li.setAttribute('data-pertinent-content-id', id);
        li.appendChild(node);
        node = li;
      }
      list.appendChild(node);
      shown.push(id);
    }
  }
  if (!shown.length) return null;
  // The templates stay in the slot so a later decision (single-page navigation) can use them again.
  for (const n of [...slot.childNodes]) if (n.nodeName !== 'TEMPLATE') slot.removeChild(n);
  slot.appendChild(box.content);
  return shown;
}

// Anti-flicker: hide (keeping the space) and always reveal within the budget, whatever happens.
export function hide(els, cfg, win) {
  const reveal = () => els.forEach((el) => (el.style.visibility = ''));
  els.forEach((el) => (el.style.visibility = 'hidden'));
  win.setTimeout(reveal, cfg.budget);
  return reveal;
}
