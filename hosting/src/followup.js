// A follow-up's delivery state (its outbox entry), for people: on the request's own page and on each
// caller of its group. describeFollowup is pure (node --test); showFollowup puts it on a node.
import { formatTime, toMillis } from './time.js';

const CHANNEL_LABEL = {
  call: 'in the call',
  sms: 'by SMS',
  webhook: 'by webhook',
  log: 'via the log (no SMS provider configured; staff relay it)',
};

/** No outbox entry yet: what the supervisor can expect from the request's status. */
function withoutEntry(request, pendingWrite) {
  if (request.status === 'resolved') {
    if (pendingWrite) return { text: 'The follow-up goes out once the answer is saved.', tone: '' };
    return request.followupSent ? { text: 'Follow-up sent.', tone: 'ok' }
      : { text: 'Follow-up being prepared…', tone: '' };
  }
  if (request.status === 'unresolved') return { text: 'No follow-up yet: answer it to reach the caller.', tone: '' };
  return { text: 'Not yet: the caller hears back once the request is answered.', tone: '' };
}

/**
 * The delivery state of an outbox entry, for people: { text, tone: ok|warn|error|'' }. `pendingWrite`:
 * the request's answer is not saved yet (so no follow-up can have been queued).
 */
export function describeFollowup(followup, request, pendingWrite = false) {
  if (!followup) return withoutEntry(request, pendingWrite);
  const what = followup.kind === 'timeout' ? 'Apology (no answer in time)' : 'Follow-up';
  const how = CHANNEL_LABEL[followup.channel] || (followup.channel ? `by ${followup.channel}` : '');
  const attempts = followup.attempts || 0;
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (followup.status) {
    case 'sent': {
      const at = toMillis(followup.sentAt);
      return { text: `${what} sent to ${followup.to || 'the caller'} ${how}${at ? ` at ${formatTime(at)}` : ''}.`, tone: 'ok' };
    }
    case 'sending':
      return { text: `Sending ${what.toLowerCase()} ${how}…`, tone: '' };
    case 'failed':
      return { text: `${what} failed after ${tries}: ${followup.error || 'unknown error'}`, tone: 'error' };
    case 'queued':
      return followup.error
        ? { text: `${what} queued for another try (${tries} so far; last error: ${followup.error}).`, tone: 'warn' }
        : { text: `${what} queued ${how}.`, tone: '' };
    default:
      return { text: `${what}: ${followup.status || 'unknown state'}.`, tone: '' };
  }
}

/** Put the state on a node: its text, its tone as a class, an alert when it failed. */
export function showFollowup(node, followup, request, pendingWrite = false) {
  const { text, tone } = describeFollowup(followup, request, pendingWrite);
  node.textContent = text;
  node.dataset.state = followup ? followup.status || '' : 'none';
  node.classList.toggle('ok', tone === 'ok');
  node.classList.toggle('warn', tone === 'warn');
  node.classList.toggle('error', tone === 'error');
  if (tone === 'error') node.setAttribute('role', 'alert');
  else node.removeAttribute('role');
}
