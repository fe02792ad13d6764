const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) (?=[${CJK}])`, 'gu');
const CURLY_APOSTROPHES = /[\u2018\u2019\u02bc]/gu;

/**
 * The form ticket text and routing-table phrases are compared in (ADR 0010): NFKC (full-width
 * letters, digits, punctuation and the ideographic space become half-width; compatibility
 * ideographs become unified ones), lower case, curly apostrophes straight, traditional
 * characters folded to simplified by the table's own map, whitespace runs to one space and
 * none left between two Chinese characters ("挂 失" is 挂失), trimmed.
 */
export function normaliseTicketText(text: string, traditionalToSimplified: ReadonlyMap<string, string>): string {
  const folded = Array.from(text.normalize('NFKC').toLowerCase().replace(CURLY_APOSTROPHES, "'"), (ch) => traditionalToSimplified.get(ch) ?? ch).join('');
  return folded.replace(/\s+/gu, ' ').replace(SPACE_BETWEEN_CJK, '').trim();
}
