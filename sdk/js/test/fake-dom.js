// A tiny DOM for unit tests: just what the snippet touches (the real DOM is covered by browser tests).
export class Node {
  constructor(name, doc) {
    this.nodeName = name.toUpperCase();
    this.ownerDocument = doc;
    this.childNodes = [];
    this.attributes = {};
    this.style = {};
    this.parentNode = null;
    this._text = '';
    if (this.nodeName === 'TEMPLATE') this.content = new Node('#fragment', doc);
  }
  get dataset() {
    const d = {};
    for (const [k, v] of Object.entries(this.attributes)) {
      if (k.startsWith('data-')) d[k.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
    }
    return d;
  }
  setAttribute(k, v) { this.attributes[k] = String(v); }
  getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; }
  hasAttribute(k) { return k in this.attributes; }
  appendChild(n) {
    const kids = n.nodeName === '#FRAGMENT' ? n.childNodes.splice(0) : [n];
    for (const k of kids) {
      if (k.parentNode) k.parentNode.removeChild(k);
      k.parentNode = this;
      this.childNodes.push(k);
    }
    return n;
  }
  removeChild(n) {
    this.childNodes = this.childNodes.filter((c) => c !== n);
    n.parentNode = null;
    return n;
  }
  cloneNode(deep) {
    const c = new Node(this.nodeName, this.ownerDocument);
    Object.assign(c.attributes, this.attributes);
    c._text = this._text;
    if (deep) this.childNodes.forEach((k) => c.appendChild(k.cloneNode(true)));
    if (this.content) c.content = this.content.cloneNode(true);
    return c;
  }
  set textContent(v) { this.childNodes = []; this._text = String(v); }
  get textContent() { return this._text + this.childNodes.map((c) => c.textContent).join(''); }
  // Real parsing is the browser's job; tests only need to see that markup was (or was not) inserted.
  set innerHTML(v) {
    const target = this.content || this;
    target.childNodes = [];
    const raw = new Node('#html', this.ownerDocument);
    raw._text = v;
    target.appendChild(raw);
  }
  *walk() {
    for (const c of this.childNodes) {
      yield c;
      yield* c.walk();
    }
  }
  matches(sel) {
    const m = sel.match(/^(\w*)\[([\w-]+)\]$/);
    return (!m[1] || this.nodeName === m[1].toUpperCase()) && this.hasAttribute(m[2]);
  }
  querySelector(sel) {
    return this.querySelectorAll(sel)[0] || null;
  }
  querySelectorAll(sel) {
    return [...this.walk()].filter((n) => n.matches(sel));
  }
  closest(sel) {
    for (let n = this; n; n = n.parentNode) if (n.matches(sel)) return n;
    return null;
  }
}

export function makeDocument() {
  const doc = new Node('#document', null);
  doc.createElement = (tag) => new Node(tag, doc);
  doc.referrer = '';
  doc.cookie = '';
  doc.head = doc.appendChild(new Node('head', doc));
  doc.body = doc.appendChild(new Node('body', doc));
  return doc;
}

export function el(doc, tag, attrs = {}, children = []) {
  const n = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  for (const c of children) n.appendChild(typeof c === 'string' ? text(doc, c) : c);
  return n;
}

export function text(doc, s) {
  const n = new Node('#text', doc);
  n._text = s;
  return n;
}

export function makeStorageArea() {
  const m = new Map();
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
  };
}

export function blockedStorageArea() {
  const no = () => { throw new Error('SecurityError: storage is blocked'); };
  return { getItem: no, setItem: no, removeItem: no };
}

export function location(href) {
  const u = new URL(href);
  return { href: u.href, origin: u.origin, hostname: u.hostname, host: u.host, pathname: u.pathname, search: u.search };
}

// document.cookie as a browser has it: writing sets one cookie, reading lists them all.
export function withCookieJar(doc) {
  const jar = new Map();
  Object.defineProperty(doc, 'cookie', {
    get: () => [...jar].map(([k, v]) => k + '=' + v).join('; '),
    set: (s) => {
      const [pair, ...attrs] = s.split(';');
      const [k, v] = pair.split('=');
      if (attrs.some((a) => a.trim() === 'max-age=0')) jar.delete(k);
      else jar.set(k, v);
    },
  });
  return doc;
}

// A window with working storage, crypto and timers; tests override what they need.
export function makeWindow(href = 'https://site.example/post/1?utm_source=news', extra = {}) {
  const doc = withCookieJar(makeDocument());
  doc.readyState = 'complete';
  doc.visibilityState = 'visible';
  const listeners = {};
  const on = (target) => (type, fn) => (listeners[type] = listeners[type] || []).push(fn);
  doc.addEventListener = on(doc);
  doc.dispatchEvent = (e) => (listeners[e.type] || []).forEach((fn) => fn(e));
  const win = {
    document: doc,
    location: location(href),
    navigator: { language: 'en-GB', sendBeacon: () => true },
    localStorage: makeStorageArea(),
    sessionStorage: makeStorageArea(),
    crypto: globalThis.crypto,
    innerWidth: 1280,
    setTimeout,
    clearTimeout,
    AbortController,
    CustomEvent: class { constructor(type, init) { this.type = type; this.detail = init && init.detail; } },
    history: { pushState() {} },
    IntersectionObserver: class { observe() {} disconnect() {} },
    // Records observers so a test can say "the DOM changed" (what the browser does after a render).
    observers: [],
    MutationObserver: class {
      constructor(cb) { this.cb = cb; win.observers.push(this); }
      observe(target, opts) { this.target = target; this.opts = opts; }
    },
    console,
    addEventListener: on(null),
    listeners,
    ...extra,
  };
  return win;
}
