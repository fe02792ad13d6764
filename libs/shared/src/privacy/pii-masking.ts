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
 * Digits as people type a card, account, phone or ID number: digits of any script (the
 * full-width １３８ of a Chinese input method), groups joined by a space or two, a hyphen (spaces
 * around it allowed), a dot, slash or underscore. A comma joins nothing: it separates two numbers
 * or groups an amount. A date (2026-12-02, 2026/12/02) or an amount (1,000,000.00; 500000.00,
 * at most nine digits before the point: a card number with `.00` is not one) is not a number of
 * a person, and is left as it is.
 */
const NUMBERS_IN_TEXT = new RegExp(
  [
    String.raw`(?<date>(?<!\p{Nd})\p{Nd}{4}[-/.]\p{Nd}{1,2}[-/.]\p{Nd}{1,2}(?!\p{Nd}))`,
    String.raw`(?<amount>(?<!\p{Nd})\p{Nd}{1,3}(?:,\p{Nd}{3}){1,2}(?:\.\p{Nd}{1,2})?(?![\p{Nd},])|(?<!\p{Nd})\p{Nd}{1,9}\.\p{Nd}{2}(?![\p{Nd}.]))`,
    String.raw`(?<number>\p{Nd}+(?:(?:[ \u3000]{1,2}|[ \u3000]?[-－][ \u3000]?|[./_．／])\p{Nd}+)*)`,
  ].join('|'),
  'gu',
);
const DIGIT = /\p{Nd}/gu;
const GROUP = /\p{Nd}+|[^\p{Nd}]+/gu;
/** Fewer digits than this are no one's number (an amount, a count, a time). */
const NUMBER_DIGITS = 6;

/**
 * A run of digit groups split into the numbers it holds: groups join while they read as one
 * number (a card's 4-digit groups, a phone's 3-4-4), and a long group after a long number starts
 * another (a phone written beside a card), so each keeps its own budget.
 */
function numbersOf(run: string): string[] {
  const numbers: string[] = [];
  let current = '';
  let digits = 0;
  for (const part of run.match(GROUP) ?? []) {
    const isDigits = /^\p{Nd}/u.test(part);
    const length = isDigits ? [...part].length : 0;
    if (isDigits && digits >= NUMBER_DIGITS && length >= NUMBER_DIGITS) {
      numbers.push(current);
      current = '';
      digits = 0;
    }
    current += part;
    digits += length;
  }
  return [...numbers, current];
}

/** A number with at most a third of its digits showing, its separators where they were. */
function maskNumber(number: string): string {
  const digits = number.match(DIGIT) ?? [];
  if (digits.length < NUMBER_DIGITS) return number;
  const masked = [...revealAThird(digits.join(''))];
  let i = 0;
  return number.replace(DIGIT, () => masked[i++]);
}

/**
 * Free text as a masked view shows it (a complaint's subject, an interaction's topic): every
 * e-mail address and every number of six digits or more that it holds is masked as those
 * values are — at most a third of the digits show, the separators stay where they were.
 */
export function maskFreeText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, maskEmail).replace(NUMBERS_IN_TEXT, (run, ...rest) => {
    const groups = rest[rest.length - 1] as { number?: string };
    return groups.number === undefined ? run : numbersOf(run).map(maskNumber).join('');
  });
}
