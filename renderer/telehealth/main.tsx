import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles.css';
import { PatientJoinApp } from '../features/telehealth/patient/PatientJoinApp';

// The patient's telehealth join page: a separate, small Vite entry (vite.telehealth.config.ts) served by
// central from dist/telehealth/ at /telehealth/join.
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <PatientJoinApp />
  </StrictMode>,
);
