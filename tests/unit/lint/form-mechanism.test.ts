import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import formMechanism from '../../../scripts/lint/form-mechanism.mjs';

/**
 * One form mechanism in the renderer (docs/architecture.md): the repository's own eslint.config.js must
 * refuse a <form> in a renderer file that does not use react-hook-form, accept the converted shapes, and
 * find no such form in the renderer as it is today. The example files do not exist; ESLint applies the
 * configuration for the path it is given.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function formErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'tessera/form-mechanism').map((m) => m.message);
}

const handWritten = `import { useState } from 'react';
export function NameForm({ onSave }: { onSave(name: string): void }) {
  const [name, setName] = useState('');
  return (
    <form onSubmit={(e) => { e.preventDefault(); onSave(name); }}>
      <input value={name} onChange={(e) => setName(e.target.value)} />
    </form>
  );
}
`;

const withHookForm = `import { useForm } from 'react-hook-form';
export function NameForm({ onSave }: { onSave(name: string): void }) {
  const { register, handleSubmit } = useForm<{ name: string }>();
  return (
    <form onSubmit={(e) => void handleSubmit(({ name }) => onSave(name))(e)}>
      <input {...register('name')} />
    </form>
  );
}
`;

const withZodForm = `import { z } from 'zod';
import { useZodForm, ZodForm } from '../../ui/zod-form';
export function NameForm({ onSave }: { onSave(name: string): Promise<void> }) {
  const f = useZodForm(z.object({ name: z.string() }), { defaultValues: { name: '' }, fields: ['name'], onValid: ({ name }) => onSave(name) });
  return (
    <ZodForm form={f}>
      <input {...f.form.register('name')} />
    </ZodForm>
  );
}
`;

describe('the renderer has one form mechanism', () => {
  it('refuses a hand-written useState <form>', async () => {
    const errors = await formErrors('renderer/features/patients/Bad.tsx', handWritten);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('useZodForm');
  });

  it('refuses a second <form> in the same file just as the first', async () => {
    const code =
      handWritten +
      handWritten.replace("import { useState } from 'react';\n", '').replace('NameForm', 'OtherForm');
    expect(await formErrors('renderer/features/admin/Bad.tsx', code)).toHaveLength(2);
  });

  it('accepts react-hook-form used directly, and <ZodForm> from renderer/ui', async () => {
    expect(await formErrors('renderer/features/patients/Ok.tsx', withHookForm)).toEqual([]);
    expect(await formErrors('renderer/features/patients/Ok.tsx', withZodForm)).toEqual([]);
  });

  it('leaves files outside the renderer alone (tests build forms for other reasons)', async () => {
    expect(await formErrors('tests/e2e/support/Form.tsx', handWritten)).toEqual([]);
  });

  it('finds no hand-written <form> in the renderer today', async () => {
    const files = (fs.readdirSync(path.join(root, 'renderer'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.tsx'))
      .map((f) => path.join('renderer', f))
      .filter((f) => fs.readFileSync(path.join(root, f), 'utf8').includes('<form'));
    expect(files.length).toBeGreaterThan(10);
    // Only this rule, so the sweep parses the files once and stays quick (the full configuration above
    // proves the rule is switched on for renderer files; `npm run lint` checks everything else).
    const sweep = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.tsx'],
          languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
          plugins: { tessera: formMechanism },
          rules: { 'tessera/form-mechanism': 'error' },
        },
      ],
    });
    const results = await sweep.lintFiles(files);
    // Only this rule's findings: disable comments naming rules this sweep does not load are not its business.
    const offenders = results
      .filter((r) => r.messages.some((m) => m.ruleId === 'tessera/form-mechanism'))
      .map((r) => path.relative(root, r.filePath));
    expect(offenders).toEqual([]);
  });
});
