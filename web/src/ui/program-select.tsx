import { useT } from '../i18n/index.js';

/** The program a page shows, chosen among those given (with an "all programs" choice when `all` names it). */
export function ProgramSelect({
  programs,
  value,
  onChange,
  all,
}: {
  programs: { id: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
  all?: string;
}) {
  const { t } = useT();
  return (
    <label className="filter">
      {t('analytics.program')}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {all !== undefined && <option value="">{all}</option>}
        {programs.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
