import type { PayoutStatus } from '../db/schema.js';
import { formatAmount } from '../shared/money.js';

/** A sentence for the creator about a payout in each status. */
export function statusMessage(p: {
  status: PayoutStatus;
  amount: number;
  currency: string;
  destination: string | null;
  paidAt: string | null;
  reference: string | null;
  failureReason: string | null;
}): string {
  const amount = `${formatAmount(p.amount, p.currency)} ${p.currency}`;
  const to = p.destination ? ` to ${p.destination}` : '';
  switch (p.status) {
    case 'pending':
      return `Your payout of ${amount} is ready and will be sent${to} with the brand's next payment batch.`;
    case 'processing':
      return `Your payout of ${amount} is on its way${to}; banks usually need one to three working days.`;
    case 'paid':
      return `Your payout of ${amount} was paid${to}${p.paidAt ? ` on ${p.paidAt.slice(0, 10)}` : ''}${p.reference ? ` (reference ${p.reference})` : ''}.`;
    case 'failed':
      return `Your payout of ${amount} could not be paid: ${p.failureReason ?? 'no reason was given'}. The amount is back in your approved balance and goes out with the next payout once the problem is fixed.`;
  }
}
