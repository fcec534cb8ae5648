import { useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '../api/query-client';
import { AuthProvider } from './auth';
import { AppFrame } from './AppFrame';
import { ErrorBoundary } from './ErrorBoundary';
import { RequirePermission, RequireSession } from './guards';
import { NotFound } from './NotFound';
import { LoginPage } from '../features/auth/LoginPage';
import { SetupPage } from '../features/auth/SetupPage';
import { HomePage } from '../features/home/HomePage';
import { InboxPage } from '../features/inbox/InboxPage';
import { AdminIndexPage } from '../features/admin/AdminIndexPage';
import { UsersPage } from '../features/admin/UsersPage';
import { RolesPage } from '../features/admin/RolesPage';
import { SecurityPage } from '../features/admin/SecurityPage';
import { MaintenancePage } from '../features/admin/maintenance/MaintenancePage';
import { ClinicSettingsPage } from '../features/admin/ClinicSettingsPage';
import { RemindersSettingsPage } from '../features/admin/RemindersSettingsPage';
import { PortalSchedulingPage } from '../features/admin/PortalSchedulingPage';
import { AuditPage } from '../features/audit/AuditPage';
import { PatientPage } from '../features/patients/PatientPage';
import { PatientSearchPage } from '../features/patients/PatientSearchPage';
import { RegisterPatientPage } from '../features/patients/RegisterPatientPage';
import { SchedulePage } from '../features/scheduling/SchedulePage';
import { BoardPage } from '../features/scheduling/BoardPage';
import { WaitlistPage } from '../features/scheduling/WaitlistPage';
import { RequestsPage } from '../features/scheduling/RequestsPage';
import { BlocksPage } from '../features/scheduling/BlocksPage';
import { SchedulingSetupPage } from '../features/scheduling/setup/SchedulingSetupPage';
import { ChartPage } from '../features/clinical/ChartPage';
import { MyDayPage } from '../features/clinical/MyDayPage';
import { NoteEditorPage } from '../features/clinical/NoteEditorPage';
import { NewTreatmentPlanPage, TreatmentPlanPage } from '../features/clinical/TreatmentPlanPage';
import { TemplatesPage } from '../features/clinical/TemplatesPage';
import { CodeSetsPage } from '../features/clinical/CodeSetsPage';
import { SupervisionPage } from '../features/clinical/SupervisionPage';
import { SyncAdminPage } from '../features/sync/SyncAdminPage';
import { ConflictsPage } from '../features/sync/ConflictsPage';
import { JoinClinicPage } from '../features/sync/JoinClinicPage';
import { AccountPage } from '../features/billing/AccountPage';
import { BillingHomePage } from '../features/billing/BillingHomePage';
import { CheckoutPage } from '../features/billing/CheckoutPage';
import { BillingSetupPage } from '../features/billing/setup/BillingSetupPage';
import { VisitChargesPage } from '../features/billing/charges/VisitChargesPage';
import { ReportsPage } from '../features/billing/reports/ReportsPage';
import { ClaimPage } from '../features/claims/ClaimPage';
import { ClaimsBoardPage } from '../features/claims/ClaimsBoardPage';
import { ReceivedFilesPage } from '../features/claims/ReceivedFilesPage';
import { EligibilityPage } from '../features/claims/EligibilityPage';
import { VisitClaimsPage } from '../features/claims/VisitClaimsPage';
import { StatementsPage } from '../features/billing/statements/StatementsPage';
import { TelehealthVisitPage } from '../features/telehealth/TelehealthVisitPage';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/setup/join" element={<JoinClinicPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireSession>
            <AppFrame />
          </RequireSession>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="admin">
          <Route
            index
            element={
              <RequirePermission anyOf={['users.manage', 'security.manage', 'audit.read']}>
                <AdminIndexPage />
              </RequirePermission>
            }
          />
          <Route
            path="users"
            element={
              <RequirePermission anyOf={['users.manage']}>
                <UsersPage />
              </RequirePermission>
            }
          />
          <Route
            path="roles"
            element={
              <RequirePermission anyOf={['users.manage']}>
                <RolesPage />
              </RequirePermission>
            }
          />
          <Route
            path="security"
            element={
              <RequirePermission anyOf={['security.manage']}>
                <SecurityPage />
              </RequirePermission>
            }
          />
          <Route
            path="maintenance"
            element={
              <RequirePermission anyOf={['security.manage']}>
                <MaintenancePage />
              </RequirePermission>
            }
          />
          <Route
            path="clinic"
            element={
              <RequirePermission anyOf={['security.manage']}>
                <ClinicSettingsPage />
              </RequirePermission>
            }
          />
          <Route
            path="reminders"
            element={
              <RequirePermission anyOf={['security.manage']}>
                <RemindersSettingsPage />
              </RequirePermission>
            }
          />
          <Route
            path="portal-scheduling"
            element={
              <RequirePermission anyOf={['schedule.manage']}>
                <PortalSchedulingPage />
              </RequirePermission>
            }
          />
          <Route
            path="audit"
            element={
              <RequirePermission anyOf={['audit.read']}>
                <AuditPage />
              </RequirePermission>
            }
          />
        </Route>
        <Route
          path="patients"
          element={
            <RequirePermission anyOf={['patients.read']}>
              <PatientSearchPage />
            </RequirePermission>
          }
        />
        <Route
          path="patients/new"
          element={
            <RequirePermission anyOf={['patients.write']}>
              <RegisterPatientPage />
            </RequirePermission>
          }
        />
        <Route
          path="patients/:id"
          element={
            <RequirePermission anyOf={['patients.read']}>
              <PatientPage />
            </RequirePermission>
          }
        />
        <Route path="schedule">
          <Route
            index
            element={
              <RequirePermission anyOf={['schedule.read']}>
                <SchedulePage />
              </RequirePermission>
            }
          />
          <Route
            path="board"
            element={
              <RequirePermission anyOf={['schedule.read']}>
                <BoardPage />
              </RequirePermission>
            }
          />
          <Route
            path="requests"
            element={
              <RequirePermission anyOf={['schedule.read']}>
                <RequestsPage />
              </RequirePermission>
            }
          />
          <Route
            path="waitlist"
            element={
              <RequirePermission anyOf={['schedule.read']}>
                <WaitlistPage />
              </RequirePermission>
            }
          />
          <Route
            path="blocks"
            element={
              <RequirePermission anyOf={['schedule.read']}>
                <BlocksPage />
              </RequirePermission>
            }
          />
          <Route
            path="setup"
            element={
              <RequirePermission anyOf={['schedule.manage']}>
                <SchedulingSetupPage />
              </RequirePermission>
            }
          />
        </Route>
        <Route
          path="clinical"
          element={
            <RequirePermission anyOf={['chart.read']}>
              <MyDayPage />
            </RequirePermission>
          }
        />
        <Route
          path="inbox"
          element={
            <RequirePermission anyOf={['chart.read']}>
              <InboxPage />
            </RequirePermission>
          }
        />
        <Route
          path="telehealth/:appointmentId"
          element={
            <RequirePermission anyOf={['telehealth.host']}>
              <TelehealthVisitPage />
            </RequirePermission>
          }
        />
        <Route
          path="patients/:id/chart"
          element={
            <RequirePermission anyOf={['chart.read']}>
              <ChartPage />
            </RequirePermission>
          }
        />
        <Route
          path="patients/:id/treatment-plans/new"
          element={
            <RequirePermission anyOf={['chart.write']}>
              <NewTreatmentPlanPage />
            </RequirePermission>
          }
        />
        <Route
          path="treatment-plans/:id"
          element={
            <RequirePermission anyOf={['chart.read']}>
              <TreatmentPlanPage />
            </RequirePermission>
          }
        />
        <Route
          path="notes/:id"
          element={
            <RequirePermission anyOf={['chart.read']}>
              <NoteEditorPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/note-templates"
          element={
            <RequirePermission anyOf={['templates.manage']}>
              <TemplatesPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/code-sets"
          element={
            <RequirePermission anyOf={['templates.manage']}>
              <CodeSetsPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/supervision"
          element={
            <RequirePermission anyOf={['users.manage']}>
              <SupervisionPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/sync"
          element={
            <RequirePermission anyOf={['sync.manage']}>
              <SyncAdminPage />
            </RequirePermission>
          }
        />
        <Route
          path="sync/conflicts"
          element={
            <RequirePermission anyOf={['sync.resolve']}>
              <ConflictsPage />
            </RequirePermission>
          }
        />
        <Route path="billing">
          <Route
            index
            element={
              <RequirePermission anyOf={['billing.read']}>
                <BillingHomePage />
              </RequirePermission>
            }
          />
          <Route
            path="accounts/:patientId"
            element={
              <RequirePermission anyOf={['billing.read']}>
                <AccountPage />
              </RequirePermission>
            }
          />
          <Route
            path="checkout/:patientId"
            element={
              <RequirePermission anyOf={['billing.post']}>
                <CheckoutPage />
              </RequirePermission>
            }
          />
          <Route
            path="setup"
            element={
              <RequirePermission anyOf={['billing.manage', 'billing.read']}>
                <BillingSetupPage />
              </RequirePermission>
            }
          />
          <Route
            path="statements"
            element={
              <RequirePermission anyOf={['billing.read']}>
                <StatementsPage />
              </RequirePermission>
            }
          />
          <Route
            path="reports"
            element={
              <RequirePermission anyOf={['billing.read']}>
                <ReportsPage />
              </RequirePermission>
            }
          />
          <Route
            path="claims"
            element={
              <RequirePermission anyOf={['claims.work']}>
                <ClaimsBoardPage />
              </RequirePermission>
            }
          />
          <Route
            path="claims/files"
            element={
              <RequirePermission anyOf={['claims.work']}>
                <ReceivedFilesPage />
              </RequirePermission>
            }
          />
          <Route
            path="claims/visits/:id"
            element={
              <RequirePermission anyOf={['claims.work']}>
                <VisitClaimsPage />
              </RequirePermission>
            }
          />
          <Route
            path="claims/:id"
            element={
              <RequirePermission anyOf={['claims.work']}>
                <ClaimPage />
              </RequirePermission>
            }
          />
          <Route
            path="eligibility"
            element={
              <RequirePermission anyOf={['claims.work']}>
                <EligibilityPage />
              </RequirePermission>
            }
          />
        </Route>
        <Route
          path="visits/:id/charges"
          element={
            <RequirePermission anyOf={['billing.read', 'chart.read']}>
              <VisitChargesPage />
            </RequirePermission>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
