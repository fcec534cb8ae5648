import { QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from '../api/client';
import { createQueryClient } from '../api/query-client';
import { Loading } from '../ui/Page';
import { Alert } from '../ui/Alert';
import { central, SESSION_ENDED } from './api';
import { ConsoleFrame } from './ConsoleFrame';
import { SignIn } from './SignIn';
import { OrgsPage } from './orgs/OrgsPage';
import { StaffPage } from './staff/StaffPage';
import { WorkstationsPage } from './workstations/WorkstationsPage';
import { CodeSetsPage } from './code-sets/CodeSetsPage';
import { UpdatesPage } from './updates/UpdatesPage';
import { HealthPage } from './health/HealthPage';
import { ActivityPage } from './activity/ActivityPage';
import { ClearinghousePage } from './clearinghouse/ClearinghousePage';

const queryClient = createQueryClient();

export function ConsoleApp() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/console">
        <Gate />
      </BrowserRouter>
    </QueryClientProvider>
  );
}

export const sessionKey = ['console', 'session'] as const;

/** Signed in (the cookie's session answers) or the sign-in screen; an ended session comes back here. */
function Gate() {
  const client = useQueryClient();
  const session = useQuery({
    queryKey: sessionKey,
    queryFn: () => central('consoleSession'),
    retry: false,
    staleTime: Infinity,
  });
  useEffect(() => {
    const ended = () => {
      client.setQueryData(sessionKey, undefined);
      void client.invalidateQueries({ queryKey: sessionKey });
    };
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, [client]);

  if (session.isPending) return <Loading label="Opening the console…" />;
  if (session.isError) {
    if (session.error instanceof ApiError && session.error.status === 401) return <SignIn />;
    return (
      <div className="auth-screen">
        <Alert tone="error" title="The console cannot reach central">
          {session.error.message}
        </Alert>
      </div>
    );
  }
  return (
    <Routes>
      <Route element={<ConsoleFrame session={session.data} />}>
        <Route index element={<Navigate to="/workstations" replace />} />
        <Route path="organizations" element={<OrgsPage session={session.data} />} />
        <Route path="staff" element={<StaffPage />} />
        <Route path="workstations" element={<WorkstationsPage />} />
        <Route path="code-sets" element={<CodeSetsPage />} />
        <Route path="clearinghouse" element={<ClearinghousePage />} />
        <Route path="updates" element={<UpdatesPage />} />
        <Route path="health" element={<HealthPage />} />
        <Route path="activity" element={<ActivityPage />} />
        <Route path="*" element={<Navigate to="/workstations" replace />} />
      </Route>
    </Routes>
  );
}
