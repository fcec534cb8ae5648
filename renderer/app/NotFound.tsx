import { Link } from 'react-router';
import { PageHeader } from '../ui/Page';

export function NotFound() {
  return (
    <section className="page">
      <PageHeader title="Page not found" />
      <p>There is no screen at this address. It may have moved, or the link was mistyped.</p>
      <p>
        <Link to="/">Go to Home</Link>
      </p>
    </section>
  );
}

export function Forbidden() {
  return (
    <section className="page">
      <PageHeader title="Not available to you" />
      <p>Your roles do not include this screen. If you need it for your work, ask a clinic administrator.</p>
      <p>
        <Link to="/">Go to Home</Link>
      </p>
    </section>
  );
}
