// The dashboard's route table: a URL hash to a view and its parameters. Pure (no DOM), so it is
// unit-tested with node --test; main.js shows the matched view.
//   #/pending  #/resolved  #/unresolved  #/request/<id>  #/learned  #/learned/<id>  #/review  #/stats

/** Each row: a pattern of literal parts and `:name` parameters, and the view it shows. */
export const ROUTES = [
  { pattern: 'pending', view: 'pending' },
  { pattern: 'resolved', view: 'resolved' },
  { pattern: 'unresolved', view: 'unresolved' },
  { pattern: 'request/:id', view: 'request' },
  { pattern: 'learned', view: 'learned' },
  { pattern: 'learned/:id', view: 'learned' },
  { pattern: 'review', view: 'review' },
  { pattern: 'stats', view: 'stats' },
];

export const DEFAULT_ROUTE = { view: 'pending', params: {} };

/**
 * The view and parameters a hash names ("#/request/abc%2Fd" → { view: 'request', params: { id: 'abc/d' } });
 * the default route for anything else. A parameter takes the rest of the path when it is the last part.
 */
export function matchRoute(hash, routes = ROUTES) {
  const path = (hash || '').replace(/^#\/?/, '').replace(/\/$/, '').split('/');   // "#/learned/" is #/learned
  for (const { pattern, view } of routes) {
    const parts = pattern.split('/');
    if (path.length < parts.length || (path.length > parts.length && !parts[parts.length - 1].startsWith(':'))) continue;
    const params = {};
    const ok = parts.every((part, i) => {
      const last = i === parts.length - 1;
      const value = last ? path.slice(i).join('/') : path[i];
      if (part.startsWith(':')) {
        if (!value) return false;
        params[part.slice(1)] = decodeURIComponent(value);
        return true;
      }
      return last ? value === part : path[i] === part;
    });
    if (ok) return { view, params };
  }
  return DEFAULT_ROUTE;
}
