/**
 * The key an article is stored under when it has a URL: the same page reached from a feed, a share link or a
 * portal's tracking redirect must land on one row, so tracking parameters, fragments, default ports and
 * host case are removed.
 */

const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref_src',
  'ref_url',
  'cmpid',
  'ncid',
  'sr_share',
  'spm',
  '_ga',
  '_gl',
  'ocid',
  'rss',
  'from_rss',
  'feedtype',
  'outputtype',
]);

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || lower.startsWith('__twitter') || TRACKING_PARAMS.has(lower);
}

/** Returns the canonical form of an http(s) URL, or null when the text is not one. */
export function canonicalUrl(input: string, base?: string | null): string | null {
  let url: URL;
  try {
    url = base ? new URL(input.trim(), base) : new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  for (const name of [...url.searchParams.keys()]) {
    if (isTrackingParam(name)) url.searchParams.delete(name);
  }
  url.searchParams.sort();
  let text = url.toString();
  if (url.search === '') text = text.replace(/\?$/, '');
  return text;
}
