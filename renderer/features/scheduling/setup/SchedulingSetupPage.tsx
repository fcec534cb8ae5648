import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Loading, PageHeader } from '../../../ui/Page';
import { useSchedulingSetup } from '../use-scheduling-data';
import type { Notify } from './setup-form';
import { LocationsSection } from './LocationsSection';
import { TypesSection } from './TypesSection';
import { ProvidersSection } from './ProvidersSection';
import { HoursSection } from './HoursSection';
import '../scheduling.css';

/**
 * Scheduling set-up for administrators: locations and rooms, appointment types, provider profiles and each
 * provider's weekly working hours. Bookings outside those hours are refused unless overridden.
 */
export function SchedulingSetupPage() {
  const setup = useSchedulingSetup();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const notify: Notify = (text, tone = 'success') => setNotice({ text, tone });
  // The provider whose hours are open; a provider just added opens at once, so their week is set next.
  const [hoursFor, setHoursFor] = useState('');
  return (
    <section className="page">
      <PageHeader title="Scheduling set-up">
        <p>
          Set these up once: where patients are seen, what kinds of appointments there are, and who works
          when.
        </p>
      </PageHeader>
      {notice ? (
        <Alert tone={notice.tone} testId="setup-notice">
          {notice.text}
        </Alert>
      ) : null}
      {setup.error ? <Alert tone="error">{errorMessage(setup.error)}</Alert> : null}
      {!setup.ready ? <Loading /> : null}
      {setup.ready ? (
        <>
          <LocationsSection setup={setup} notify={notify} />
          <TypesSection setup={setup} notify={notify} />
          <ProvidersSection setup={setup} notify={notify} onAdded={setHoursFor} />
          <HoursSection setup={setup} notify={notify} selected={hoursFor} onSelect={setHoursFor} />
        </>
      ) : null}
    </section>
  );
}
