// Settings from the script tag's data- attributes. Every one has a default, so a bare tag works:
// <script defer src=".../pertinent.min.js" data-endpoint="https://sidecar/v1" data-site-key="KEY"
//   data-content-id="42">
export function readConfig(script, loc) {
  const d = script?.dataset || {};
  const endpoint = (d.endpoint || '').replace(/\/+$/, '');
  return {
    endpoint,
    key: d.siteKey,
    timeout: +d.timeout || 300,
    budget: +d.antiflicker || 300,
    consentRequired: flag(d.requireConsent),
    respectDnt: flag(d.respectDnt),
    debug: flag(d.debug),
    // Absent stays undefined, so JSON leaves the key out (a null would fail strict schemas).
    contentId: d.contentId || undefined,
    // Rendered fragments are trusted only from the site's own origin (the WordPress REST proxy). A
    // malformed endpoint throws here, and the snippet then leaves the page alone.
    sameOrigin: new URL(endpoint, loc.href).origin === loc.origin,
    // The slots part (decide and render) sits beside this file unless data-slots-src says otherwise.
    slotsSrc: d.slotsSrc || sibling(script, 'pertinent-slots.min.js'),
  };
}

// A file next to the script, with the script's query (WordPress's ?ver=), so both parts update together;
// undefined for an inline script.
export function sibling(script, name) {
  try {
    const u = new URL(name, script.src);
    u.search = new URL(script.src).search;
    return u.href;
  } catch (e) { /* no src */ }
}

// A data- flag is on when present, unless it says "false" or "0".
export function flag(v) {
  return v != null && v !== 'false' && v !== '0';
}

// WordPress without pretty permalinks has a query in its REST base (index.php?rest_route=/pertinent/v1).
export function apiUrl(cfg, path) {
  const url = cfg.endpoint + '/' + path;
  return cfg.key ? url + (url.includes('?') ? '&' : '?') + 'key=' + encodeURIComponent(cfg.key) : url;
}
