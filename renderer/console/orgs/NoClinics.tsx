import { Link } from 'react-router';
import { EmptyState } from '../../ui/Page';

export function NoClinics() {
  return (
    <EmptyState>
      There is no clinic yet — <Link to="/organizations">create an organization and a clinic</Link> first.
    </EmptyState>
  );
}
