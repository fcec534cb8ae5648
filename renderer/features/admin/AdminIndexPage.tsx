import { Link } from 'react-router';
import { useSession } from '../../app/auth';
import { adminItems, visibleItems } from '../../app/nav';
import { PageHeader } from '../../ui/Page';

export function AdminIndexPage() {
  const session = useSession();
  const items = visibleItems(adminItems, session.user.permissions);
  return (
    <section className="page">
      <PageHeader title="Admin" />
      <ul className="link-list">
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to}>{item.label}</Link>
            {item.description ? <span className="link-list-note"> — {item.description}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
