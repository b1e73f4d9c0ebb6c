import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../api.js';
import { ProgramTerms } from '../brand/programs.js';
import { useT } from '../i18n/index.js';
import type { Program } from '../types.js';
import { Card, FormError } from '../ui/kit.js';

/** Programs open to applications that the creator has not joined: their terms, and one tap to apply. */
export function OpenPrograms() {
  const { t } = useT();
  const client = useQueryClient();
  const open = useQuery({
    queryKey: ['programs', 'open'],
    queryFn: () => api<Page<Program>>('GET', '/programs/open?limit=50'),
  });
  const apply = useMutation({
    mutationFn: (programId: string) => api('POST', `/programs/${programId}/enrollments`, {}),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['programs', 'open'] });
      await client.invalidateQueries({ queryKey: ['enrollments'] });
    },
  });
  if (!open.data || open.data.data.length === 0) return null;
  return (
    <section aria-labelledby="open-programs">
      <h2 id="open-programs" className="section-title">
        {t('my.programs.open')}
      </h2>
      <p className="muted">{t('my.programs.openHelp')}</p>
      <div className="grid">
        {open.data.data.map((p) => (
          <Card key={p.id} title={p.name}>
            {p.description && <p>{p.description}</p>}
            <ProgramTerms p={p} />
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => apply.mutate(p.id)}
              disabled={apply.isPending}
            >
              {t('my.programs.apply')}
            </button>
          </Card>
        ))}
      </div>
      <FormError message={apply.error?.message} />
    </section>
  );
}
