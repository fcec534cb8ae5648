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
import { AdminIndexPage } from '../features/admin/AdminIndexPage';
import { UsersPage } from '../features/admin/UsersPage';
import { RolesPage } from '../features/admin/RolesPage';
import { SecurityPage } from '../features/admin/SecurityPage';
import { AuditPage } from '../features/audit/AuditPage';
import { PatientPage } from '../features/patients/PatientPage';

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
            path="audit"
            element={
              <RequirePermission anyOf={['audit.read']}>
                <AuditPage />
              </RequirePermission>
            }
          />
        </Route>
        <Route
          path="patients/:id"
          element={
            <RequirePermission anyOf={['patients.read']}>
              <PatientPage />
            </RequirePermission>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
