import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { en, type MessageKey } from './en.js';
import { fi } from './fi.js';

export type Locale = 'en' | 'fi';
const catalogues: Record<Locale, Record<MessageKey, string>> = { en, fi };
/** The locale for Intl: British English writes €19.99 and 7 Dec 2026; Finnish 19,99 € and 7.12.2026. */
export const intlLocale: Record<Locale, string> = { en: 'en-GB', fi: 'fi-FI' };
const KEY = 'kumppani.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'fi') return saved;
  return navigator.language.toLowerCase().startsWith('fi') ? 'fi' : 'en';
}

const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({
  locale: 'en',
  setLocale: () => {},
});

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, set] = useState<Locale>(initialLocale);
  const value = useMemo(
    () => ({
      locale,
      setLocale: (l: Locale) => {
        localStorage.setItem(KEY, l);
        document.documentElement.lang = l;
        set(l);
      },
    }),
    [locale],
  );
  document.documentElement.lang = locale;
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider locale={intlLocale[locale]} messages={catalogues[locale]} defaultLocale="en-GB">
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export const useLocale = () => useContext(LocaleContext);

/** Messages by key, and money and dates through Intl for the chosen locale. */
export function useT() {
  const intl = useIntl();
  return useMemo(
    () => ({
      t: (key: MessageKey, values?: Record<string, string | number | ((chunks: ReactNode[]) => ReactNode)>) =>
        intl.formatMessage({ id: key }, values as never) as string,
      /** An amount in minor units, shown in its currency: 19,99 € or €19.99. */
      money: (minor: number, currency: string) => {
        const digits =
          new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
        return intl.formatNumber(minor / 10 ** digits, { style: 'currency', currency });
      },
      percent: (bps: number) => intl.formatNumber(bps / 10_000, { style: 'percent', maximumFractionDigits: 2 }),
      date: (iso: string) => intl.formatDate(iso, { day: 'numeric', month: 'short', year: 'numeric' }),
      dateTime: (iso: string) =>
        intl.formatDate(iso, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
      number: (n: number) => intl.formatNumber(n),
    }),
    [intl],
  );
}
