import { formatAmount } from '../shared/money.js';

/**
 * SEPA credit transfer initiation files, ISO 20022 pain.001.001.09 as the EPC's 2023 SCT
 * implementation guidelines restrict it (what banks take since November 2025), or the older
 * pain.001.001.03 on request. Written as a stream of text pieces: the group header needs only the
 * count and the sum, so a file of any size is written with memory for one transaction at a time.
 */

export type SepaVersion = '09' | '03';

export interface SepaDebtor {
  name: string;
  iban: string;
  bic: string;
}

export interface SepaTransfer {
  endToEndId: string;
  /** Euro cents. */
  amount: number;
  name: string;
  iban: string;
  bic?: string | undefined;
  remittance: string;
}

export interface SepaHeader {
  messageId: string;
  paymentInfoId: string;
  createdAt: Date;
  executionDate: string;
  count: number;
  /** Euro cents. */
  sum: number;
  debtor: SepaDebtor;
}

const special: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  œ: 'oe',
  Œ: 'OE',
  þ: 'th',
  Þ: 'TH',
  ð: 'd',
  Ð: 'D',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  '&': '+',
  '’': "'",
  '‘': "'",
  '`': "'",
  '´': "'",
  '"': "'",
  '–': '-',
  '—': '-',
  _: '-',
  '@': '(at)',
};

/**
 * A text in the SEPA (EPC) Latin character set: a–z, A–Z, 0–9, space and / - ? : ( ) . , ' +.
 * Letters with accents lose them (Ä → A, é → e), a few letters are spelt out (ß → ss, Ø → O),
 * and anything else becomes a space; runs of spaces become one and the text is cut to `max`.
 */
export function toSepaText(input: string, max: number): string {
  let out = '';
  for (const ch of input.normalize('NFC')) {
    const mapped = special[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += /^[A-Za-z0-9/\-?:().,'+ ]+$/.test(base) ? base : ' ';
  }
  const text = out.replace(/\s+/g, ' ').trim().slice(0, max).trim();
  return text.length > 0 ? text : 'NOTPROVIDED';
}

/** An id element: the SEPA characters without spaces, at most 35, never starting with '/' or holding '//'. */
export function toSepaId(input: string): string {
  return (
    toSepaText(input.replace(/_/g, '-'), 35).replace(/ /g, '-').replace(/\/+/g, '-').replace(/^-+/, '') || 'NOTPROVIDED'
  );
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
}

const euros = (cents: number) => formatAmount(cents, 'EUR');

/** CreDtTm: the UTC time to the second, written without a zone as the EPC guidelines show it. */
function creationTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

export function sepaHead(version: SepaVersion, h: SepaHeader): string {
  const ns = `urn:iso:std:iso:20022:tech:xsd:pain.001.001.${version}`;
  const agent = version === '09' ? 'BICFI' : 'BIC';
  const date =
    version === '09'
      ? `<ReqdExctnDt><Dt>${h.executionDate}</Dt></ReqdExctnDt>`
      : `<ReqdExctnDt>${h.executionDate}</ReqdExctnDt>`;
  const debtorName = xmlText(toSepaText(h.debtor.name, 70));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Document xmlns="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n` +
    `<CstmrCdtTrfInitn>\n` +
    `<GrpHdr><MsgId>${xmlText(toSepaId(h.messageId))}</MsgId><CreDtTm>${creationTime(h.createdAt)}</CreDtTm>` +
    `<NbOfTxs>${h.count}</NbOfTxs><CtrlSum>${euros(h.sum)}</CtrlSum><InitgPty><Nm>${debtorName}</Nm></InitgPty></GrpHdr>\n` +
    `<PmtInf><PmtInfId>${xmlText(toSepaId(h.paymentInfoId))}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>` +
    `<NbOfTxs>${h.count}</NbOfTxs><CtrlSum>${euros(h.sum)}</CtrlSum>` +
    `<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>${date}` +
    `<Dbtr><Nm>${debtorName}</Nm></Dbtr>` +
    `<DbtrAcct><Id><IBAN>${h.debtor.iban}</IBAN></Id></DbtrAcct>` +
    `<DbtrAgt><FinInstnId><${agent}>${h.debtor.bic}</${agent}></FinInstnId></DbtrAgt>` +
    `<ChrgBr>SLEV</ChrgBr>\n`
  );
}

export function sepaTransaction(version: SepaVersion, t: SepaTransfer): string {
  const agent = version === '09' ? 'BICFI' : 'BIC';
  return (
    `<CdtTrfTxInf><PmtId><EndToEndId>${xmlText(toSepaId(t.endToEndId))}</EndToEndId></PmtId>` +
    `<Amt><InstdAmt Ccy="EUR">${euros(t.amount)}</InstdAmt></Amt>` +
    (t.bic ? `<CdtrAgt><FinInstnId><${agent}>${t.bic}</${agent}></FinInstnId></CdtrAgt>` : '') +
    `<Cdtr><Nm>${xmlText(toSepaText(t.name, 70))}</Nm></Cdtr>` +
    `<CdtrAcct><Id><IBAN>${t.iban}</IBAN></Id></CdtrAcct>` +
    `<RmtInf><Ustrd>${xmlText(toSepaText(t.remittance, 140))}</Ustrd></RmtInf></CdtTrfTxInf>\n`
  );
}

export const sepaTail = '</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n';

/** A whole file as one async stream of text pieces. */
export async function* sepaFile(
  version: SepaVersion,
  header: SepaHeader,
  transfers: AsyncIterable<SepaTransfer>,
): AsyncGenerator<string> {
  yield sepaHead(version, header);
  let batch = '';
  for await (const t of transfers) {
    batch += sepaTransaction(version, t);
    if (batch.length > 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  yield batch + sepaTail;
}
