import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { portalDocumentSchema } from '../../../../server/contracts/portal/documents';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useStepUpAction } from '../../signin/useStepUpAction';
import { useDates } from './dates';
import { saveFile } from '../../save-file';

type Doc = z.infer<typeof portalDocumentSchema>;

/**
 * Documents the clinic shared: newest first, each with Download. A download needs the second factor in this
 * session (after an e-mailed link, the step-up card comes first); central records every download.
 */
export function DocumentsPage() {
  const { t, errorText } = useI18n();
  const { dateTime } = useDates();
  const [docs, setDocs] = useState<Doc[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    portal('portalDocuments')
      .then((r) => setDocs(r.documents))
      .catch((e: unknown) => setLoadError(errorText(e)));
  }, [errorText]);
  const { run: download, busy, error: downloadError, stepUp } = useStepUpAction(async (id) => {
    const file = await portal('portalDocumentDownload', { params: { id } });
    saveFile(file.fileName, file.contentBase64, 'application/pdf');
  });
  const error = downloadError ?? loadError;

  if (stepUp) return stepUp;
  return (
    <section className="portal-card" aria-labelledby="docs-title">
      <h1 id="docs-title" className="portal-title">
        {t('docs.title')}
      </h1>
      <p className="portal-help">{t('docs.intro')}</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {!docs && !error ? <p role="status">{t('common.loading')}</p> : null}
      {docs && docs.length === 0 ? <p>{t('docs.none')}</p> : null}
      <ul className="portal-list">
        {(docs ?? []).map((d) => (
          <li key={d.id} className="portal-row" data-testid="portal-document">
            <span>
              <strong>{t(`docs.kind.${d.kind}` as MessageKey)}</strong>
              <br />
              <span>{d.title}</span>
              <br />
              <span className="portal-muted">{t('docs.shared', { date: dateTime(d.sharedAt) })}</span>
            </span>
            <Button
              size="small"
              aria-label={t('docs.downloadLabel', { title: d.title })}
              busy={busy === d.id}
              busyLabel={t('docs.downloading')}
              onClick={() => void download(d.id)}
            >
              {t('docs.download')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
