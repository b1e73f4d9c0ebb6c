import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page } from '../api.js';
import { ProgramTerms } from '../brand/programs.js';
import { useT } from '../i18n/index.js';
import type { Code, Enrollment, Program } from '../types.js';
import { Card, CopyButton, PageTitle, QueryState } from '../ui/kit.js';
import { Badge, ProgramSelect, statusTone } from '../ui/pages.js';
import { OpenPrograms } from './open-programs.js';

export function useMyEnrollments() {
  return useQuery({ queryKey: ['enrollments'], queryFn: () => api<Page<Enrollment>>('GET', '/enrollments?limit=100') });
}

/** The programs the creator is in (approved, or suspended with its past still to see). */
export function useJoinedPrograms() {
  const enrollments = useMyEnrollments();
  const joined = enrollments.data?.data.filter((e) => e.status === 'approved' || e.status === 'suspended') ?? [];
  return { enrollments, joined };
}

/** One of the creator's programs for a page to show (the first until another is chosen), with its picker. */
export function useJoinedProgram() {
  const { enrollments, joined } = useJoinedPrograms();
  const [chosen, setChosen] = useState('');
  const programId = chosen || joined[0]?.programId || '';
  const picker =
    joined.length > 1 ? (
      <ProgramSelect
        programs={joined.map((e) => ({ id: e.programId, name: e.programName }))}
        value={programId}
        onChange={setChosen}
      />
    ) : null;
  return { enrollments, joined, programId, picker };
}

function Terms({ programId }: { programId: string }) {
  const program = useQuery({
    queryKey: ['program', programId],
    queryFn: () => api<Program>('GET', `/programs/${programId}`),
  });
  return <QueryState query={program}>{(p) => <ProgramTerms p={p} />}</QueryState>;
}

export function MyPrograms() {
  const { t, percent, money } = useT();
  const client = useQueryClient();
  const enrollments = useMyEnrollments();
  const codes = useQuery({
    queryKey: ['codes'],
    queryFn: () => api<Page<Code>>('GET', '/codes?status=active&limit=100'),
  });
  const answer = useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'approved' | 'rejected' }) =>
      api('PATCH', `/enrollments/${id}`, { status }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['enrollments'] }),
  });
  return (
    <>
      <PageTitle>{t('my.programs.title')}</PageTitle>
      <QueryState query={enrollments}>
        {(page) =>
          page.data.length === 0 ? (
            <Card>
              <p>{t('my.programs.none')}</p>
            </Card>
          ) : (
            <div className="grid">
              {page.data.map((en) => (
                <Card
                  key={en.id}
                  title={en.programName}
                  actions={<Badge tone={statusTone[en.status] ?? 'muted'}>{t(`status.${en.status}`)}</Badge>}
                >
                  <Terms programId={en.programId} />
                  {codes.data?.data
                    .filter((c) => c.programId === en.programId)
                    .map((c) => (
                      <p key={c.id} className="code-line">
                        {t('my.codes.title')}: <code className="code">{c.code}</code>{' '}
                        <span className="muted small">
                          −{c.discount.type === 'percent' ? percent(c.discount.bps) : money(c.discount.amount, 'EUR')}
                        </span>{' '}
                        <CopyButton text={c.code} label={c.code} />
                      </p>
                    ))}
                  {en.status === 'invited' && (
                    <div className="row-actions">
                      <button
                        className="btn btn-primary"
                        type="button"
                        onClick={() => answer.mutate({ id: en.id, status: 'approved' })}
                      >
                        {t('my.programs.accept')}
                      </button>
                      <button
                        className="btn btn-ghost"
                        type="button"
                        onClick={() => answer.mutate({ id: en.id, status: 'rejected' })}
                      >
                        {t('my.programs.decline')}
                      </button>
                    </div>
                  )}
                </Card>
              ))}
            </div>
          )
        }
      </QueryState>
      <OpenPrograms />
    </>
  );
}
