/** The SMS of merry-go-round payouts, in English and Kiswahili. Amounts in cents; days shown DD/MM/YYYY. */
import { formatKes } from '../money/index.js';
import { showDay } from '../loans/index.js';
import type { ChamaSmsLanguage } from './messages.js';

/** The recipient's receipt: the entry code, the chama, the cycle and their wallet balance after. */
export function payoutReceiptSms(lang: ChamaSmsLanguage, f: { code: string; chama: string; amount: bigint; cycleNo: number; balance: bigint }): string {
  return lang === 'sw'
    ? `${f.code} Imethibitishwa. Umepokea ${formatKes(f.amount)}, mchezo wa ${f.chama} mzunguko ${f.cycleNo}. Salio jipya ${formatKes(f.balance)}.`
    : `${f.code} Confirmed. You have received ${formatKes(f.amount)}, the ${f.chama} merry-go-round for cycle ${f.cycleNo}. New balance ${formatKes(f.balance)}.`;
}

/** Every other member's notice: who was paid, and who is next and when. */
export function payoutNoticeSms(lang: ChamaSmsLanguage, f: { chama: string; amount: bigint; cycleNo: number; recipient: string; next: string | null; nextDue: string | null }): string {
  const next = f.next && f.nextDue
    ? (lang === 'sw' ? ` Anayefuata: ${f.next}, ${showDay(f.nextDue)}.` : ` Next: ${f.next}, ${showDay(f.nextDue)}.`)
    : '';
  return lang === 'sw'
    ? `${f.chama}: ${formatKes(f.amount)} za mzunguko ${f.cycleNo} zimelipwa kwa ${f.recipient}.${next}`
    : `${f.chama}: the cycle ${f.cycleNo} payout of ${formatKes(f.amount)} was paid to ${f.recipient}.${next}`;
}

/** A member has left: to them, what reached their wallet; to the others, who left. */
export function exitPaidSms(lang: ChamaSmsLanguage, f: { chama: string; member: string; amount: bigint; code: string | null; toMember: boolean }): string {
  if (f.toMember) {
    const code = f.code ? `${f.code} ` : '';
    return lang === 'sw'
      ? `${code}Umeondoka ${f.chama}. Akiba yako ${formatKes(f.amount)} (baada ya faini) imewekwa kwenye Simu yako.`
      : `${code}You have left ${f.chama}. Your savings of ${formatKes(f.amount)} (after fines) are in your Simu wallet.`;
  }
  return lang === 'sw' ? `${f.chama}: ${f.member} ameondoka kwenye kikundi.` : `${f.chama}: ${f.member} has left the group.`;
}
