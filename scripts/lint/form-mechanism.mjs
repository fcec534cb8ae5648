// ESLint rule `tessera/form-mechanism`: the renderer has one form mechanism (docs/architecture.md):
// react-hook-form with a zod resolver over the endpoint's contract, errors as sentences under their
// fields. A file that renders a <form> element must therefore use react-hook-form itself, or render
// renderer/ui/zod-form.tsx's <ZodForm> (which only takes a `useZodForm` result) instead of a bare <form>.
// Hand-written useState forms (the state, the checks and the error placement written again each time)
// are what this keeps out. tests/unit/lint/form-mechanism.test.ts lints violating and allowed files.

export const formMechanism = {
  meta: {
    type: 'problem',
    docs: { description: 'A <form> in the renderer is react-hook-form with a zod resolver.' },
    schema: [],
  },
  create(context) {
    let usesHookForm = false;
    const forms = [];
    return {
      ImportDeclaration(node) {
        if (node.source.value === 'react-hook-form') usesHookForm = true;
      },
      JSXOpeningElement(node) {
        if (node.name.type === 'JSXIdentifier' && node.name.name === 'form') forms.push(node);
      },
      'Program:exit'() {
        if (usesHookForm) return;
        for (const node of forms)
          context.report({
            node,
            message:
              'This <form> is not react-hook-form: use useZodForm and <ZodForm> from renderer/ui/zod-form.tsx (react-hook-form with the contract’s zod resolver, errors under their fields).',
          });
      },
    };
  },
};

export default { rules: { 'form-mechanism': formMechanism } };
