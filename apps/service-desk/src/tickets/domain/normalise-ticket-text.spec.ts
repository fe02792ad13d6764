import { normaliseTicketText } from './normalise-ticket-text';

const FOLD = new Map([['掛', '挂'], ['銀', '银'], ['網', '网']]);

describe('normalising ticket text (ADR 0010)', () => {
  it.each<[string, string, string]>([
    ['full-width letters and digits', 'ＡＰＰ１２３', 'app123'],
    ['the ideographic space', 'lost\u3000card', 'lost card'],
    ['upper case', 'Lost CARD', 'lost card'],
    ['curly apostrophes', 'didn\u2019t', "didn't"],
    ['traditional characters in the map', '掛失網上銀行', '挂失网上银行'],
    ['traditional characters not in the map stay', '賬戶', '賬戶'],
    ['whitespace runs', '  my \t card \n lost ', 'my card lost'],
    ['no space between two Chinese characters', '挂 失 了', '挂失了'],
    ['a space between Chinese and Latin stays', '我的 app', '我的 app'],
    ['empty', '', ''],
  ])('%s', (_, text, expected) => {
    expect(normaliseTicketText(text, FOLD)).toBe(expected);
  });
});
