// ESLint: TypeScript rules plus import boundaries that keep the architecture's dependency directions:
// electron only in main/ and preload/; the renderer sees only server/contracts; the workstation and
// central servers never import each other; domain and contracts stay free of I/O layers.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = { name: 'electron', message: 'Only main/ and preload/ may import electron.' };
const restrict = (patterns, paths = [noElectron]) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        {
          group: ['**/server/!(contracts)/**', '**/server/!(contracts)', '**/main/**', '**/preload/**', 'node:*'],
          message: 'The renderer may import only server/contracts (and browser packages).',
        },
      ]),
    },
  },
  {
    files: ['server/contracts/**/*.ts'],
    rules: restrict([
      { group: ['**/domain/**', '**/workstation/**', '**/central/**', 'drizzle-orm*', 'express'], message: 'Contracts are plain zod.' },
    ]),
  },
  {
    files: ['server/domain/**/*.ts'],
    rules: restrict([
      { group: ['**/workstation/**', '**/central/**', 'drizzle-orm*', 'express', 'better-sqlite3', 'node:fs'], message: 'Domain rules are pure: no I/O.' },
    ]),
  },
  {
    files: ['server/platform/**/*.ts'],
    rules: restrict([{ group: ['**/workstation/**', '**/central/**'], message: 'Platform is shared plumbing: it imports neither server.' }]),
  },
  { files: ['server/workstation/**/*.ts'], rules: restrict([{ group: ['**/central/**'], message: 'Workstation and central share only contracts, domain and platform.' }]) },
  { files: ['server/central/**/*.ts'], rules: restrict([{ group: ['**/workstation/**'], message: 'Workstation and central share only contracts, domain and platform.' }]) },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    rules: restrict([{ group: ['**/server/!(contracts)/**'], message: 'main/ and preload/ talk to the server over its start message, not imports.' }], []),
  },
  {
    files: ['tests/**/*.{ts,cjs}', 'scripts/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
