// ESLint rule `tessera/import-layers`: the dependency directions of docs/architecture.md, checked on the
// folder an import really points at. Relative specifiers are resolved against the importing file, so
// `../../server/domain/x` and `../domain/x` are judged alike; bare `electron` is allowed in main/ and
// preload/ only. (`no-restricted-imports` matches specifier text with gitignore globs, which read the
// old `server/!(contracts)` pattern literally and let every server import through.)
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Each layer: its folder and the layers it may import (itself included). First match wins. */
export const layers = [
  // main/ shares preload/channels.ts (the IPC channel names) with the preload script.
  { name: 'main', dir: 'main', may: ['main', 'preload', 'contracts'], electron: true },
  { name: 'preload', dir: 'preload', may: ['preload', 'contracts'], electron: true },
  { name: 'renderer', dir: 'renderer', may: ['renderer', 'contracts'] },
  { name: 'contracts', dir: 'server/contracts', may: ['contracts'] },
  { name: 'domain', dir: 'server/domain', may: ['domain', 'contracts'] },
  { name: 'platform', dir: 'server/platform', may: ['platform', 'domain', 'contracts'] },
  { name: 'workstation', dir: 'server/workstation', may: ['workstation', 'platform', 'domain', 'contracts'] },
  { name: 'central', dir: 'server/central', may: ['central', 'platform', 'domain', 'contracts'] },
  // Never imported by product code; their own files are not checked.
  { name: 'tests', dir: 'tests', may: null },
  { name: 'scripts', dir: 'scripts', may: null },
];

function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('..')) return null;
  return layers.find((l) => rel === l.dir || rel.startsWith(`${l.dir}/`)) ?? null;
}

const where = (l) => `${l.dir}/`;

export const importLayers = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the architecture’s dependency directions.' },
    schema: [],
  },
  create(context) {
    const from = layerOf(context.filename);
    if (!from || !from.may) return {};
    const allowed = from.may.map((n) => where(layers.find((l) => l.name === n))).join(', ');
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!from.electron)
          context.report({ node, message: `Only main/ and preload/ may import electron (this is ${where(from)}).` });
        return;
      }
      if (!spec.startsWith('.') && !spec.startsWith('/')) return;
      const target = layerOf(path.resolve(path.dirname(context.filename), spec));
      if (!target || from.may.includes(target.name)) return;
      context.report({
        node,
        message: `${where(from)} may import only ${allowed}; this import reaches ${where(target)}.`,
      });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node.moduleReference, node.moduleReference.expression.value),
      TSImportType: (node) => {
        const arg = node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument;
        if (arg?.type === 'Literal') check(node, arg.value);
      },
      'CallExpression[callee.name="require"]': (node) =>
        node.arguments[0]?.type === 'Literal' && check(node, node.arguments[0].value),
    };
  },
};

export default { rules: { 'import-layers': importLayers } };
