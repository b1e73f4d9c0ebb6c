import { describe, expect, it } from 'vitest';
import { sepaHead, sepaTail, sepaTransaction, toSepaId, toSepaText } from './sepa.js';

describe('the SEPA character set', () => {
  it.each([
    ['Äänekoski Öljy', 'Aanekoski Oljy'],
    ['Jyrki Ström & Co', 'Jyrki Strom + Co'],
    ['Straße 5', 'Strasse 5'],
    ['Søren Ærø', 'Soren AEro'],
    ['Łódź', 'Lodz'],
    ['Zoë “the best”', 'Zoe the best'],
    ['李小龍', 'NOTPROVIDED'],
    ['a_b@c', 'a-b(at)c'],
  ])('writes %s as %s', (input, expected) => {
    expect(toSepaText(input, 70)).toBe(expected);
  });

  it('cuts a text to its length without a trailing space', () => {
    expect(toSepaText('Commissions of December, payout po_01', 12)).toBe('Commissions');
  });

  it('makes ids without spaces, underscores or a leading slash', () => {
    expect(toSepaId('prun_01jd8x3q6v0000000000000000')).toBe('prun-01jd8x3q6v0000000000000000');
    expect(toSepaId('/a//b c')).toBe('a-b-c');
  });
});

describe('a pain.001 file', () => {
  const header = {
    messageId: 'prun_1',
    paymentInfoId: 'prun_1',
    createdAt: new Date('2026-12-07T10:11:12.345Z'),
    executionDate: '2026-12-08',
    count: 2,
    sum: 123456,
    debtor: { name: 'Revontuli Active Oy', iban: 'FI4950009420028730', bic: 'OKOYFIHH' },
  };

  it('writes euros with two decimals in the group header and the payment information', () => {
    const head = sepaHead('09', header);
    expect(head.match(/<CtrlSum>1234\.56<\/CtrlSum>/g)).toHaveLength(2);
    expect(head.match(/<NbOfTxs>2<\/NbOfTxs>/g)).toHaveLength(2);
  });

  it('names the agent BICFI in version 09 and BIC in version 03, and dates the execution as each wants', () => {
    expect(sepaHead('09', header)).toContain('<ReqdExctnDt><Dt>2026-12-08</Dt></ReqdExctnDt>');
    expect(sepaHead('09', header)).toContain('<BICFI>OKOYFIHH</BICFI>');
    expect(sepaHead('03', header)).toContain('<ReqdExctnDt>2026-12-08</ReqdExctnDt>');
    expect(sepaHead('03', header)).toContain('<BIC>OKOYFIHH</BIC>');
  });

  it('escapes what XML would read as markup', () => {
    const tx = sepaTransaction('09', {
      endToEndId: 'po_1',
      amount: 5,
      name: "O'Brien <x>",
      iban: 'DE89370400440532013000',
      remittance: 'a',
    });
    expect(tx).toContain('<Nm>O&apos;Brien x</Nm>');
    expect(tx).toContain('<InstdAmt Ccy="EUR">0.05</InstdAmt>');
    expect(sepaTail).toContain('</Document>');
  });
});
