import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { inboxFilters, type InboxThreadSummary } from '../../../server/contracts/inbox';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader, useDocumentTitle } from '../../ui/Page';
import { ShowWhenSettled } from '../../ui/ShowWhenSettled';
import { ThreadView } from './ThreadView';
import { UrgentFlags } from './UrgentFlags';
import { FormChangesQueue } from '../forms/FormChangesQueue';
import './inbox.css';

type Filter = (typeof inboxFilters)[number];
const filterLabels: Record<Filter, string> = {
  all: 'All',
  mine: 'Assigned to me',
  unassigned: 'Unassigned',
  unread: 'Unread',
};

/**
 * The clinic inbox: patients' portal conversations (list with unread counts and who has each), the open
 * conversation beside it with assignment and reply, and urgent questionnaire flags on top. Everything comes
 * from this workstation's replicated copy, so it works offline; replies reach the portal on the next sync.
 */
export function InboxPage() {
  useDocumentTitle('Inbox');
  const session = useSession();
  const zone = session.clinic.timeZone;
  const [filter, setFilter] = useState<Filter>('all');
  const [openId, setOpenId] = useState<string | null>(null);
  const key = keys.inbox(filter);
  const inbox = useQuery({
    queryKey: key,
    queryFn: () => call('inbox', { query: { filter }, background: isLiveRefresh(key) }),
  });
  const data = inbox.data;
  return (
    <div className="inbox-page">
      <PageHeader title="Inbox">
        {data ? (
          <span className="muted" data-testid="inbox-unread-total">
            {data.unreadTotal === 0 ? 'No unread messages' : `${data.unreadTotal} unread`}
          </span>
        ) : null}
      </PageHeader>
      {/* The urgent flags, the form changes and the conversations answer separately: shown together, once. */}
      <ShowWhenSettled label="Loading the inbox…">
        {inbox.error ? <Alert tone="error">{errorMessage(inbox.error)}</Alert> : null}
        {data ? <UrgentFlags flags={data.flags} zone={zone} /> : null}
        <FormChangesQueue />
        <div className="inbox-filters" role="group" aria-label="Show">
          {inboxFilters.map((f) => (
            <button
              key={f}
              type="button"
              className={`btn btn-small ${f === filter ? 'btn-primary' : 'btn-secondary'}`}
              aria-pressed={f === filter}
              onClick={() => setFilter(f)}
            >
              {filterLabels[f]}
            </button>
          ))}
        </div>
        <div className="inbox-panes">
          <section className="inbox-list" aria-label="Conversations">
            {!data ? <Loading /> : null}
            {data && data.threads.length === 0 ? (
              <EmptyState>
                {filter === 'all'
                  ? 'No messages from patients yet. Patients write from the portal; their messages arrive here.'
                  : `Nothing here (${filterLabels[filter].toLowerCase()}).`}
              </EmptyState>
            ) : null}
            {data?.threads.length ? (
              <ul className="inbox-threads">
                {data.threads.map((t) => (
                  <ThreadRow
                    key={t.id}
                    thread={t}
                    zone={zone}
                    open={t.id === openId}
                    onOpen={() => setOpenId(t.id)}
                  />
                ))}
              </ul>
            ) : null}
          </section>
          <section className="inbox-thread" aria-label="Conversation">
            {openId && data ? (
              <ThreadView threadId={openId} zone={zone} assignees={data.assignees} />
            ) : (
              <p className="muted">Choose a conversation to read and reply.</p>
            )}
          </section>
        </div>
      </ShowWhenSettled>
    </div>
  );
}

function ThreadRow({
  thread,
  zone,
  open,
  onOpen,
}: {
  thread: InboxThreadSummary;
  zone: string;
  open: boolean;
  onOpen: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        className={`inbox-thread-row${open ? ' is-open' : ''}${thread.unread ? ' is-unread' : ''}`}
        aria-current={open || undefined}
        onClick={onOpen}
        data-testid="inbox-thread"
      >
        <span className="inbox-thread-patient">{thread.patientName}</span>
        <span className="inbox-thread-when">{formatShortDateTime(thread.lastMessageAt, zone)}</span>
        <span className="inbox-thread-subject">{thread.subject}</span>
        <span className="inbox-thread-meta">
          {thread.unread ? (
            <span className="badge badge-warning" aria-label={`${thread.unread} unread`}>
              {thread.unread} unread
            </span>
          ) : null}
          <span className="muted">
            {thread.assignedName ? `Assigned to ${thread.assignedName}` : 'Unassigned'}
          </span>
        </span>
      </button>
    </li>
  );
}
