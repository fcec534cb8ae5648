import { createRoot, type Root } from 'react-dom/client';

let root: Root | null = null;

/** Components the specs can mount by name (filled in as the telehealth screens grow). */
export const components: Record<string, (props: any) => React.ReactNode> = {};

export function mountComponent(name: string, props: Record<string, unknown> = {}) {
  const Component = components[name];
  if (!Component) throw new Error(`No harness component ${name}`);
  root?.unmount();
  root = createRoot(document.getElementById('root')!);
  root.render(<Component {...props} />);
}
