import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Changing this (e.g. the path) clears the error, so navigating away recovers. */
  resetKey?: string;
}

interface State {
  error: Error | null;
  resetKey: string | undefined;
}

/**
 * Catches render errors so one broken screen does not blank the whole window. Shows what to do, not a stack
 * trace; details go to the console (no patient data is put in the message).
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { error: null, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Screen error', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="page" role="alert">
        <h1 className="page-title">This screen ran into a problem</h1>
        <p>
          Nothing you saved is lost. Go back, or reload the window; if it keeps happening, tell IT what you
          were doing.
        </p>
        <p className="button-row">
          <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
            Reload
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => window.history.back()}>
            Go back
          </button>
        </p>
      </section>
    );
  }
}
