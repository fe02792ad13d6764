import fc from 'fast-check';
import { TICKET_CATEGORIES, TICKET_QUEUES, TicketCategory, TicketQueue } from '@meridian/events';
import { classifyTicket } from './classify-ticket';
import { RoutingTableJson, TicketKind, isTicketKind, loadRoutingTable } from './routing-table';

const table = loadRoutingTable();

describe('ticket classification by the shipped routing table (DOMAIN.md service desk, ADR 0010)', () => {
  it.each<[string, TicketKind, string | undefined, TicketCategory, TicketQueue, string | undefined]>([
    // kind alone
    ['a card loss with no text goes to its kind\'s queue', 'CARD_LOSS', undefined, 'CARD_LOSS', 'CARDS', undefined],
    ['an inquiry with no text is GENERAL', 'INQUIRY', '', 'INQUIRY', 'GENERAL', undefined],
    ['unclassifiable text is GENERAL', 'SERVICE_REQUEST', '你好，今天天气不错', 'SERVICE_REQUEST', 'GENERAL', undefined],
    ['a complaint about nothing in the table stays a GENERAL complaint', 'COMPLAINT', 'I am unhappy', 'COMPLAINT', 'GENERAL', undefined],
    // Chinese
    ['挂失', 'CARD_LOSS', '我要挂失', 'CARD_LOSS', 'CARDS', 'cards.lost:挂失'],
    ['盗刷 makes an inquiry a dispute', 'INQUIRY', '我的信用卡被盗刷了', 'DISPUTE', 'CARDS', 'cards.fraud:被盗刷'],
    ['理财', 'INQUIRY', '想问一下理财产品的收益', 'INQUIRY', 'WEALTH', 'wealth.products:理财产品'],
    ['贷款', 'SERVICE_REQUEST', '申请贷款需要什么材料', 'SERVICE_REQUEST', 'LOANS', 'loans.loan:贷款'],
    ['转账失败', 'COMPLAINT', '转账失败了三次', 'COMPLAINT', 'DIGITAL', 'digital.transfer:转账失败'],
    ['手机银行', 'INQUIRY', '手机银行怎么开通', 'INQUIRY', 'DIGITAL', 'digital.app:手机银行'],
    ['利息', 'INQUIRY', '定期存款的利息怎么算', 'INQUIRY', 'DEPOSITS', 'deposits.account:存款'],
    ['投诉 makes a service request a complaint (and names no queue)', 'SERVICE_REQUEST', '我要投诉', 'COMPLAINT', 'GENERAL', undefined],
    // the longest phrase wins: 贷款利率 (loans) over 利率 (deposits), 信用卡 over 还款
    ['贷款利率 over 利率', 'INQUIRY', '贷款利率多少', 'INQUIRY', 'LOANS', 'loans.loan:贷款利率'],
    ['信用卡 over 还款', 'INQUIRY', '信用卡还款', 'INQUIRY', 'CARDS', 'cards.card:信用卡'],
    ['乱收费 over 收费 for the category', 'INQUIRY', '你们乱收费', 'COMPLAINT', 'GENERAL', 'general.fees:收费'],
    // equal lengths: table order (cards.fraud before cards.card)
    ['被盗刷 and 信用卡 tie: the earlier rule', 'INQUIRY', '信用卡被盗刷', 'DISPUTE', 'CARDS', 'cards.fraud:被盗刷'],
    ['the specific kind keeps its category', 'COMPLAINT', '信用卡被盗刷了没人管', 'COMPLAINT', 'CARDS', 'cards.fraud:被盗刷'],
    ['a card loss about a fund stays a card loss', 'CARD_LOSS', '基金', 'CARD_LOSS', 'WEALTH', 'wealth.products:基金'],
    // traditional, full-width, spacing
    ['traditional 掛失', 'CARD_LOSS', '我要掛失', 'CARD_LOSS', 'CARDS', 'cards.lost:挂失'],
    ['traditional 網上銀行登錄', 'INQUIRY', '網上銀行無法登錄', 'INQUIRY', 'DIGITAL', 'digital.app:网上银行'],
    ['traditional 貸款', 'INQUIRY', '房屋貸款', 'INQUIRY', 'LOANS', 'loans.mortgage:房屋贷款'],
    ['full-width APP', 'INQUIRY', 'ＡＰＰ打不开', 'INQUIRY', 'DIGITAL', 'digital.app:app'],
    ['spaces inside a Chinese phrase', 'CARD_LOSS', '挂 失', 'CARD_LOSS', 'CARDS', 'cards.lost:挂失'],
    ['the ideographic space and upper case', 'INQUIRY', 'LOST\u3000CARD', 'CARD_LOSS', 'CARDS', 'cards.lost:lost card'],
    // English
    ['lost card', 'SERVICE_REQUEST', 'I have lost my card yesterday', 'CARD_LOSS', 'CARDS', 'cards.lost:lost my card'],
    ['unauthorised charge', 'INQUIRY', 'There is an unauthorised charge on my statement', 'DISPUTE', 'CARDS', 'cards.fraud:unauthorised charge'],
    ['unauthorized (US spelling)', 'INQUIRY', 'UNAUTHORIZED CHARGE!!', 'DISPUTE', 'CARDS', 'cards.fraud:unauthorized charge'],
    ['a curly apostrophe', 'INQUIRY', 'I didn\u2019t make this payment', 'DISPUTE', 'CARDS', "cards.fraud:i didn't make"],
    ['mortgage', 'INQUIRY', 'Mortgage rates?', 'INQUIRY', 'LOANS', 'loans.mortgage:mortgage'],
    ['transfer failed', 'COMPLAINT', 'my transfer failed twice', 'COMPLAINT', 'DIGITAL', 'digital.transfer:transfer failed'],
    ['login in mixed text', 'INQUIRY', '我的app login 不了', 'INQUIRY', 'DIGITAL', 'digital.app:login'],
    ['a phrase naming the kind\'s category first: 挂失 over the longer 银行卡', 'CARD_LOSS', '我要挂失我的银行卡', 'CARD_LOSS', 'CARDS', 'cards.lost:挂失'],
    ['and the text\'s category likewise: 盗用 over the longer 理财产品', 'INQUIRY', '理财产品被盗用', 'DISPUTE', 'CARDS', 'cards.fraud:盗用'],
    ['a complaint\'s tone does not route: 乱收费 on a credit card goes to CARDS', 'COMPLAINT', '信用卡年费乱收费', 'COMPLAINT', 'CARDS', 'cards.card:信用卡'],
    // word boundaries
    ['"app" is not in "happy"', 'INQUIRY', 'not happy', 'INQUIRY', 'GENERAL', undefined],
    ['"fund" is not in "refund"', 'INQUIRY', 'where is my refund', 'INQUIRY', 'GENERAL', undefined],
    ['"refund not received" is', 'INQUIRY', 'Refund not received after 10 days', 'DISPUTE', 'CARDS', 'cards.dispute:refund not received'],
    ['"loans" (plural) is a phrase of its own', 'INQUIRY', 'personal loans', 'INQUIRY', 'LOANS', 'loans.loan:loans'],
    // negation: the except phrases
    ['没有盗刷 is no fraud', 'INQUIRY', '我的卡没有盗刷，只是想问问', 'INQUIRY', 'GENERAL', undefined],
    ['没有被盗刷 voids both 被盗刷 and 盗刷', 'INQUIRY', '确认没有被盗刷', 'INQUIRY', 'GENERAL', undefined],
    ['"no fraud" voids "fraud", not the rest', 'INQUIRY', 'No fraud, but the app crashes', 'INQUIRY', 'DIGITAL', 'digital.app:crashes'],
    ['a negation voids only the match inside it', 'INQUIRY', '上次没有盗刷，这次被盗刷了', 'DISPUTE', 'CARDS', 'cards.fraud:被盗刷'],
    ['a worry about fraud is taken as fraud (accepted: ADR 0010)', 'INQUIRY', '我担心被盗刷', 'DISPUTE', 'CARDS', 'cards.fraud:被盗刷'],
  ])('%s', (_, kind, text, category, queue, topic) => {
    const result = classifyTicket(kind, text, table);
    expect({ category: result.category, queue: result.queue, topic: result.topic && `${result.topic.ruleId}:${result.topic.phrase}` }).toEqual({ category, queue, topic });
    expect(result.tableVersion).toBe(1);
  });
});

describe('the shipped table', () => {
  it('is rich: at least 60 phrases, every queue reached, Chinese and English', () => {
    expect(table.phrases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(table.rules.flatMap((r) => r.queue ?? []))).toEqual(new Set(TICKET_QUEUES));
    expect(table.phrases.some((p) => /[\u4e00-\u9fff]/.test(p.written))).toBe(true);
    expect(table.phrases.some((p) => /^[a-z ]+$/.test(p.written))).toBe(true);
  });

  it('routes every one of its own phrases, typed alone, to its rule (no phrase is shadowed by a longer one of another queue)', () => {
    for (const p of table.phrases) {
      const rule = table.rules[p.ruleIndex];
      const result = classifyTicket('INQUIRY', p.written, table);
      expect([p.written, result.queue, result.category]).toEqual([p.written, rule.queue ?? table.kinds.INQUIRY.queue, rule.category ?? 'INQUIRY']);
    }
  });

  it('classifies any text of any ticket kind into a known category and queue, and records a topic exactly when the queue came from text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_CATEGORIES), fc.oneof(fc.string(), fc.constantFrom(...table.phrases.map((p) => p.written)).map((s) => `xx ${s} yy`)), (kind, text) => {
        const result = classifyTicket(kind, text, table);
        expect(TICKET_CATEGORIES).toContain(result.category);
        expect(TICKET_QUEUES).toContain(result.queue);
        if (!result.topic) expect(result.queue).toBe(table.kinds[kind].queue);
        if (!table.kinds[kind].textRefinesCategory) expect(result.category).toBe(kind);
      }),
    );
  });

  it('knows the ticket kinds from the other interaction kinds', () => {
    expect(['CARD_LOSS', 'LOGIN', 'SURVEY_RESPONSE', 'DISPUTE'].filter(isTicketKind)).toEqual(['CARD_LOSS', 'DISPUTE']);
  });
});

describe('a custom table: the precedence', () => {
  const base: RoutingTableJson = {
    version: 2,
    traditionalToSimplified: {},
    kinds: Object.fromEntries(TICKET_CATEGORIES.map((k) => [k, { queue: 'GENERAL', textRefinesCategory: true }])) as RoutingTableJson['kinds'],
    rules: [
      { id: 'a', queue: 'LOANS', phrases: ['ab'] },
      { id: 'b', category: 'COMPLAINT', phrases: ['cd'] },
      { id: 'c', queue: 'DEPOSITS', phrases: ['abx'] },
      { id: 'd', queue: 'CARDS', category: 'DISPUTE', phrases: ['ef'] },
      { id: 'e', queue: 'WEALTH', phrases: ['ef gh', 'yy'] },
      { id: 'f', queue: 'DIGITAL', phrases: ['xx'] },
    ],
  };

  it.each<[string, string, TicketQueue, string | undefined, TicketCategory, string | undefined]>([
    ['a category-only rule categorises and does not route', 'cd ab', 'LOANS', 'a', 'COMPLAINT', 'b'],
    ['the longer phrase wins over the earlier rule', 'abx', 'DEPOSITS', 'c', 'INQUIRY', undefined],
    ['equal length: the earlier rule', 'xx yy', 'WEALTH', 'e', 'INQUIRY', undefined],
    ['a phrase naming the ticket\'s category wins over a longer one', 'ef gh', 'CARDS', 'd', 'DISPUTE', 'd'],
    ['no match: the kind\'s queue', 'zz', 'GENERAL', undefined, 'INQUIRY', undefined],
  ])('%s', (_, text, queue, ruleId, category, categorisedBy) => {
    const result = classifyTicket('INQUIRY', text, loadRoutingTable(base));
    expect([result.queue, result.topic?.ruleId, result.category, result.categorisedBy?.ruleId, result.tableVersion]).toEqual([queue, ruleId, category, categorisedBy, 2]);
  });
});
