import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commissionsService } from '../../src/commissions/service.js';
import { notifyApprovedCommissions } from '../../src/mail/notices.js';
import { fixedClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  call,
  createCode,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

/** With SMTP configured, emails go over the wire to a real SMTP server started here. */
const clock = fixedClock(new Date('2026-12-07T10:00:00Z'));
let smtp: TestSmtp;
let t: TestApp;
let brand: Brand;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({
    clock,
    config: { mail: { smtpUrl: smtp.url, from: 'Kumppani <no-reply@kumppani.example>' } },
  });
  brand = await signupBrand(t.app, 'Aino');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const to = (address: string) => (m: { envelopeTo: string[] }) => m.envelopeTo.includes(address);

async function rowsTo(address: string) {
  return t.database.handle.db
    .selectFrom('email_messages')
    .selectAll()
    .where('to_address', '=', address)
    .orderBy('id')
    .execute();
}

describe('email over SMTP', () => {
  it('delivers the signup verification email over SMTP, logging in to the server', async () => {
    const creator = await signupCreator(t.app, 'Veera');
    const mail = await smtp.waitFor(to(creator.email));
    expect(mail.parsed.subject).toBe('Confirm your email address');
    expect(mail.parsed.from?.value).toEqual([{ name: 'Kumppani', address: 'no-reply@kumppani.example' }]);
    expect(mail.parsed.text).toContain('http://127.0.0.1:8080/app/verify-email?token=kpt_');
    expect(mail.parsed.html).toContain('Confirm my email address');
  });

  it('marks a delivered message sent and drops the body holding the link', async () => {
    const creator = await signupCreator(t.app, 'Dropped');
    await smtp.waitFor(to(creator.email));
    await t.app.mail.settled();
    const [row] = await rowsTo(creator.email);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, text_body: null, html_body: null });
    expect(row?.transport_id).toMatch(/@/);
  });

  it('verifies the address with the token from the delivered email', async () => {
    const creator = await signupCreator(t.app, 'Linked');
    const mail = await smtp.waitFor(to(creator.email));
    const token = /token=(kpt_[\w-]+)/.exec(mail.parsed.text ?? '')?.[1];
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.emailVerifiedAt).not.toBeNull();
  });

  it('delivers a Finnish invitation with the HTML part escaped', async () => {
    const creator = await signupCreator(t.app, 'Suomi');
    await call(t.app, creator.token, { method: 'PUT', url: '/api/v1/me/email-preferences', payload: { locale: 'fi' } });
    const program = await createProgram(t.app, brand.token, { ...validProgram, name: 'Revontuli <Kesä>' });
    await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${program.id}/enrollments`,
      payload: { creatorEmail: creator.email },
    });
    const mail = await smtp.waitFor((m) => to(creator.email)(m) && m.parsed.subject?.includes('kutsuu') === true);
    expect(mail.parsed.subject).toBe('Aino Oy kutsuu sinut kumppaniohjelmaan Revontuli <Kesä>');
    expect(mail.parsed.html).toContain('Revontuli &lt;Kesä&gt;');
    expect(mail.parsed.html).not.toContain('<Kesä>');
  });

  it('keeps a refused message queued with the server’s answer and delivers it on a later round', async () => {
    smtp.refuse = true;
    let creator: Awaited<ReturnType<typeof signupCreator>>;
    try {
      creator = await signupCreator(t.app, 'Bounce');
      await t.app.mail.settled();
    } finally {
      smtp.refuse = false;
    }
    const [queued] = await rowsTo(creator.email);
    expect(queued).toMatchObject({ status: 'queued', attempts: 1 });
    expect(queued?.last_error).toMatch(/550/);
    // Not before its retry time …
    expect(await t.app.mail.deliver()).toBe(0);
    clock.advance(61_000);
    expect(await t.app.mail.deliver()).toBe(1);
    await smtp.waitFor(to(creator.email));
    const [sent] = await rowsTo(creator.email);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives a message up as failed after five refused attempts', async () => {
    smtp.refuse = true;
    try {
      const creator = await signupCreator(t.app, 'Gone');
      await t.app.mail.settled();
      for (const wait of [60_000, 300_000, 1_800_000, 7_200_000]) {
        clock.advance(wait + 1);
        await t.app.mail.deliver();
      }
      const [row] = await rowsTo(creator.email);
      expect(row).toMatchObject({ status: 'failed', attempts: 5 });
    } finally {
      smtp.refuse = false;
    }
  });
});

describe('money notices', () => {
  it('tells a creator their payout was sent, in their language with the amount as Finns write it', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await approvedCreator(t.app, brand.token, program.id, 'Maksettu');
    await call(t.app, creator.token, { method: 'PUT', url: '/api/v1/me/email-preferences', payload: { locale: 'fi' } });
    await t.database.handle.db.transaction().execute((tx) =>
      t.app.moneyNotices.payoutSent(tx, {
        creatorId: creator.creatorId,
        programId: program.id,
        amount: 123_456,
        currency: 'EUR',
        method: 'sepa',
        reference: 'PO-2026-12',
        paidAt: '2026-12-07T12:00:00Z',
      }),
    );
    t.app.moneyNotices.kick();
    const mail = await smtp.waitFor((m) => to(creator.email)(m) && m.parsed.subject?.startsWith('Tilitys') === true);
    expect(mail.parsed.subject).toBe('Tilitys 1\u00a0234,56\u00a0€ on maksettu');
    expect(mail.parsed.text).toContain('maksoi sinulle 7.12.2026 tilityksen 1\u00a0234,56\u00a0€');
    expect(mail.parsed.text).toContain('Maksutapa: tilisiirto (SEPA).');
    expect(mail.parsed.text).toContain('Maksun viite: PO-2026-12');
  });

  it('tells a creator why their payout failed', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await approvedCreator(t.app, brand.token, program.id, 'Failed');
    await t.database.handle.db.transaction().execute((tx) =>
      t.app.moneyNotices.payoutFailed(tx, {
        creatorId: creator.creatorId,
        programId: program.id,
        amount: 4_200,
        currency: 'USD',
        reason: 'the bank returned it: account closed (AC04).',
      }),
    );
    t.app.moneyNotices.kick();
    const mail = await smtp.waitFor((m) => to(creator.email)(m) && m.parsed.subject?.includes('could not') === true);
    expect(mail.parsed.subject).toBe('Your payout of $42.00 could not be paid');
    expect(mail.parsed.text).toContain('failed: the bank returned it: account closed (AC04).');
  });

  it('writes nothing to a creator who turned payout notices off', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await approvedCreator(t.app, brand.token, program.id, 'NoPayoutMail');
    await call(t.app, creator.token, {
      method: 'PUT',
      url: '/api/v1/me/email-preferences',
      payload: { kinds: { payout_sent: false } },
    });
    await t.database.handle.db.transaction().execute((tx) =>
      t.app.moneyNotices.payoutSent(tx, {
        creatorId: creator.creatorId,
        programId: program.id,
        amount: 100,
        currency: 'EUR',
        method: 'manual',
        paidAt: '2026-12-07T12:00:00Z',
      }),
    );
    const kinds = (await rowsTo(creator.email)).map((r) => r.kind);
    expect(kinds).not.toContain('payout_sent');
  });

  it('tells a creator of commissions approved since the last round, once', async () => {
    const program = await createProgram(t.app, brand.token, { ...validProgram, holdingDays: 0 });
    const creator = await approvedCreator(t.app, brand.token, program.id, 'Approved');
    const db = t.database.handle.db;
    await createCode(t.app, brand.token, program.id, {
      creatorId: creator.creatorId,
      code: 'APPROVED10',
      discount: { type: 'percent', bps: 1000 },
    });
    await notifyApprovedCommissions(db, t.app.mail, clock); // the first round starts the cursor
    for (const orderId of ['appr-1', 'appr-2']) {
      const sale = await call(t.app, brand.token, {
        method: 'POST',
        url: '/api/v1/track/sale',
        payload: {
          programId: program.id,
          orderId,
          currency: 'EUR',
          couponCode: 'APPROVED10',
          lines: [{ amount: 10_000, quantity: 1 }],
        },
      });
      expect(sale.statusCode, sale.body).toBeLessThan(300);
    }
    clock.advance(1_000);
    await commissionsService({ db, clock }).approveDue(clock.now());
    expect(await notifyApprovedCommissions(db, t.app.mail, clock)).toBe(1);
    const mail = await smtp.waitFor((m) => to(creator.email)(m) && m.parsed.subject?.includes('approved') === true);
    expect(mail.parsed.subject).toBe('€30.00 of commission approved');
    expect(mail.parsed.text).toContain('2 commissions of €30.00 in all');
    expect(await notifyApprovedCommissions(db, t.app.mail, clock)).toBe(0);
  });
});

describe('payout details missing', () => {
  it('tells a blocked creator what the program needs, once a week however many runs block them', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await approvedCreator(t.app, brand.token, program.id, 'Blocked');
    const tell = (at: string) =>
      t.database.handle.db.transaction().execute((tx) =>
        t.app.moneyNotices.taxDetailsMissing(tx, {
          creatorId: creator.creatorId,
          programId: program.id,
          missing: 'the program needs a W-8BEN form before it pays.',
          at,
        }),
      );
    const notices = async () => (await rowsTo(creator.email)).filter((r) => r.kind === 'tax_details_missing');
    await tell(clock.now().toISOString());
    await tell(clock.now().toISOString());
    expect(await notices()).toHaveLength(1);
    await tell(new Date(clock.now().getTime() + 8 * 24 * 3_600_000).toISOString());
    expect(await notices()).toHaveLength(2);
    t.app.moneyNotices.kick();
    const mail = await smtp.waitFor(
      (m) => to(creator.email)(m) && m.parsed.subject?.includes('payout details') === true,
    );
    expect(mail.parsed.text).toContain('cannot pay you yet: the program needs a W-8BEN form before it pays.');
  });
});
