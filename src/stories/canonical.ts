/**
 * Which copy of a story to show first. Wire services (news agencies) write the original that portals
 * republish, so their copy is canonical; otherwise the earliest.
 */

const WIRE_SOURCE =
  /통신|연합뉴스|뉴시스|뉴스1|\bwire\b|reuters|associated press|^ap$|\bafp\b|yonhap|bloomberg|kyodo|xinhua|\bdpa\b|\bupi\b/i;

export function isWireSource(name: string | null | undefined): boolean {
  return name ? WIRE_SOURCE.test(name.trim()) : false;
}

export interface LeadCandidate {
  id: number;
  sourceName: string | null;
  publishedMs: number;
  lang: string;
}

/** Orders members for display: the reader's language, then wire copies, then the earliest, then by id. */
export function compareForLead(lang: string | null): (a: LeadCandidate, b: LeadCandidate) => number {
  return (a, b) =>
    Number(lang !== null && b.lang === lang) - Number(lang !== null && a.lang === lang) ||
    Number(isWireSource(b.sourceName)) - Number(isWireSource(a.sourceName)) ||
    a.publishedMs - b.publishedMs ||
    a.id - b.id;
}
