/**
 * DOMAIN.md security, issue 8: what a teller sees of a person — at most a third of any
 * value (rounded down), so a masked view never gives most of a short number away (an
 * 8-digit phone showed 7 digits, a 9-character passport 8). What shows is split between
 * the start and the end, the end getting the odd one: the last characters are what a
 * caller is asked to confirm.
 */
export const MASK = '*';

/** How many characters of a value of this length a masked view may show. */
export function visibleBudget(length: number): number {
  return Math.floor(length / 3);
}

/** `head` characters, a star for every hidden one, `tail` characters (lengths in code points). */
function reveal(chars: readonly string[], head: number, tail: number): string {
  return chars.slice(0, head).join('') + MASK.repeat(chars.length - head - tail) + (tail ? chars.slice(-tail).join('') : '');
}

/** A third of the value, split between its start and its end. */
function revealAThird(value: string): string {
  const chars = [...value];
  const budget = visibleBudget(chars.length);
  const head = Math.floor(budget / 2);
  return reveal(chars, head, budget - head);
}

/** 张* shape: the first characters the budget allows, then up to three stars (the length is not given away). */
export function maskName(name: string): string {
  const chars = [...name];
  const shown = visibleBudget(chars.length);
  return chars.slice(0, shown).join('') + MASK.repeat(Math.max(1, Math.min(chars.length - shown, 3)));
}

/** The +86 country code is the dialling plan, not the customer's number: it stays, the national number is masked. */
export function maskPhone(phone: string): string {
  const national = phone.replace(/^\+86/, '');
  return `${national === phone ? '' : '+86'}${revealAThird(national)}`;
}

export function maskIdNumber(id: string): string {
  return revealAThird(id);
}

/**
 * The @ shows where the budget allows (it counts), then the local part's first character,
 * then the end of the domain; hidden runs are three stars, whatever their length.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const [local, domain] = at < 0 ? [email, ''] : [email.slice(0, at), email.slice(at + 1)];
  const budget = visibleBudget([...email].length);
  if (at < 0 || budget < 1) return MASK.repeat(3);
  const localShown = budget >= 2 && local ? 1 : 0;
  const domainChars = [...domain];
  const domainShown = Math.min(domainChars.length, budget - 1 - localShown);
  const hidden = (shown: number, of: number) => (shown < of ? MASK.repeat(3) : '');
  return `${[...local].slice(0, localShown).join('')}${hidden(localShown, [...local].length)}@${hidden(domainShown, domainChars.length)}${domainShown ? domainChars.slice(-domainShown).join('') : ''}`;
}

/** An e-mail address in free text, its local part and domain in any script (张三@例子.中国). */
const EMAIL_IN_TEXT = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/**
 * Six digits or more as people type a card, account, phone or ID number: digits of any script
 * (the full-width １３８ of a Chinese input method), with one separator between two of them (a
 * space or two, a dot, slash, hyphen, underscore or comma, full-width or not) — so a card and a
 * phone written side by side (`… / 138 …`) are two numbers, each with its own budget. A date
 * (2026-12-02, 2026/12/02) or an amount (1,000,000.00; 500000.00) is not a number of a person,
 * and is left as it is.
 */
const NUMBERS_IN_TEXT = new RegExp(
  [
    String.raw`(?<date>(?<!\p{Nd})\p{Nd}{4}[-/.]\p{Nd}{1,2}[-/.]\p{Nd}{1,2}(?!\p{Nd}))`,
    String.raw`(?<amount>(?<!\p{Nd})\p{Nd}{1,3}(?:,\p{Nd}{3})+(?:\.\p{Nd}{1,2})?(?![\p{Nd},])|(?<!\p{Nd})\p{Nd}+\.\p{Nd}{2}(?![\p{Nd}.]))`,
    String.raw`(?<number>\p{Nd}(?:(?:[./\-_,，．／－]|\s{1,2})?\p{Nd}){5,})`,
  ].join('|'),
  'gu',
);
const DIGIT = /\p{Nd}/gu;

/**
 * Free text as a masked view shows it (a complaint's subject, an interaction's topic): every
 * e-mail address and every number of six digits or more that it holds is masked as those
 * values are — at most a third of the digits show, the separators stay where they were.
 */
export function maskFreeText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, maskEmail).replace(NUMBERS_IN_TEXT, (run, ...rest) => {
    const groups = rest[rest.length - 1] as { number?: string };
    if (groups.number === undefined) return run;
    const masked = [...revealAThird(run.match(DIGIT)?.join('') ?? '')];
    let i = 0;
    return run.replace(DIGIT, () => masked[i++]);
  });
}
