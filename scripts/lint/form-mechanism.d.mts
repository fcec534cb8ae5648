// Types for the rule module, so tests/unit/lint/form-mechanism.test.ts can load it as an ESLint plugin.
import type { ESLint, Rule } from 'eslint';

export declare const formMechanism: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
