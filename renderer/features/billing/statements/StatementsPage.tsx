import { useCan } from '../../../app/auth';
import { PageHeader } from '../../../ui/Page';
import { ShowWhenSettled } from '../../../ui/ShowWhenSettled';
import { DocumentSettingsPanel } from './DocumentSettingsPanel';
import { PatientDocumentsPanel } from './PatientDocumentsPanel';
import { ProviderLicensesPanel } from './ProviderLicensesPanel';
import { StatementRunPanel } from './StatementRunPanel';
import '../billing.css';
import '../reports/reports.css';
import './statements.css';

/**
 * Billing > Statements: the monthly statement run (with its progress), a patient's kept documents
 * (statements, estimates, superbills, receipts) with printing and a good-faith estimate, and what the
 * documents print about the clinic.
 */
export function StatementsPage() {
  const can = useCan();
  return (
    <section className="page page-wide billing-statements">
      <PageHeader title="Statements">
        Monthly statements, each patient’s kept documents, good-faith estimates.
      </PageHeader>
      <ShowWhenSettled label="Loading statements…">
        <div className="statements-grid">
          {can('billing.post') ? <StatementRunPanel /> : null}
          <PatientDocumentsPanel />
        </div>
        {can('billing.manage') ? <DocumentSettingsPanel /> : null}
        {can('billing.manage') ? <ProviderLicensesPanel /> : null}
      </ShowWhenSettled>
    </section>
  );
}
