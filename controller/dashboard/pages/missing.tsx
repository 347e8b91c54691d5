import { PageHeader } from '../components/ui';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { PAGES } from './index';
import { missingPageReason } from './registry';

/** What the shell shows for a hash that opens no page (`#/users` for a viewer, `#/khong-co`). */
export function MissingPage(props: { page: string }) {
  const { t } = useI18n();
  const session = useSession();
  const spec = PAGES.find((p) => p.page === props.page);
  if (spec === undefined || missingPageReason(props.page, PAGES, session.can) === 'unknown') {
    return <p data-testid="page-missing">{t('app.notFound')}</p>;
  }
  return (
    <div data-testid="page-forbidden">
      <PageHeader title={t('app.forbiddenPage.title')} />
      <p>
        {t('app.forbiddenPage', {
          role: t(`role.${session.me.user.role}`),
          page: t(spec.title),
        })}
      </p>
    </div>
  );
}
