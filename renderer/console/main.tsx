import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles.css';
import './console.css';
import { ConsoleApp } from './ConsoleApp';

// The central console: a separate Vite entry (vite.console.config.ts) served by central at /console.
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ConsoleApp />
  </StrictMode>,
);
