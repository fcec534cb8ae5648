import { NavLink } from 'react-router';

/** Billing > Claims' two views: the board and the files received. */
export function ClaimsTabs() {
  const cls = ({ isActive }: { isActive: boolean }) => `report-tab${isActive ? ' report-tab-active' : ''}`;
  return (
    <nav aria-label="Claims views" className="report-tabs claims-tabs">
      <NavLink to="/billing/claims" end className={cls}>
        Board
      </NavLink>
      <NavLink to="/billing/claims/files" className={cls}>
        Files received
      </NavLink>
    </nav>
  );
}
