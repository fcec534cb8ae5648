// ESLint: TypeScript rules plus import boundaries that keep the architecture's dependency directions
// (docs/architecture.md): `tessera/import-layers` judges every import by the folder it resolves to
// (electron only in main/ and preload/; the renderer, main/ and preload/ see only server/contracts;
// workstation and central never import each other and share platform, domain and contracts; platform
// imports neither server; domain and contracts stay free of I/O layers). `no-restricted-imports` adds the
// packages a layer must not use. tests/unit/lint/boundaries.test.ts proves each direction fails.
// `tessera/form-mechanism` keeps every renderer <form> on react-hook-form (tests/unit/lint/form-mechanism.test.ts).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import importLayers from './scripts/lint/import-layers.mjs';
import formMechanism from './scripts/lint/form-mechanism.mjs';

/** The project's own rules (scripts/lint/). */
const tessera = { rules: { ...importLayers.rules, ...formMechanism.rules } };

const packages = (names, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: names, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    plugins: { tessera },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      'tessera/import-layers': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'tessera/form-mechanism': 'error',
      ...packages(
        ['node:*', 'express', 'drizzle-orm', 'drizzle-orm/*', 'pg', 'better-sqlite3', 'pino'],
        'The renderer runs in a browser: no Node or server packages.',
      ),
    },
  },
  {
    files: ['server/contracts/**/*.ts'],
    rules: packages(['drizzle-orm', 'drizzle-orm/*', 'express', 'pg', 'better-sqlite3'], 'Contracts are plain zod.'),
  },
  {
    files: ['server/domain/**/*.ts'],
    rules: packages(
      ['drizzle-orm', 'drizzle-orm/*', 'express', 'pg', 'better-sqlite3', 'node:fs', 'node:fs/*', 'fs'],
      'Domain rules are pure: no I/O.',
    ),
  },
  {
    files: ['tests/**/*.{ts,cjs}', 'scripts/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
