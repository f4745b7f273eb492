/**
 * What Heard's notice emails say. Pure: no I/O.
 *
 * An email leaves Heard's keeping: it sits in inboxes, on phones, in mail archives and forwarded
 * chains. So it says only that something is waiting and where to read it, behind sign-in: never a
 * word of what a child wrote, nor the category (a subject line "Sexual harm" on a lock screen is a
 * disclosure of its own), nor where it came from.
 */

export type NoticeKind = 'alert-created' | 'alert-overdue' | 'reviews-due';

export interface NoticeContent {
  subject: string;
  text: string;
}

/**
 * The subject and plain-text body of a notice. `dashboardUrl` is the dashboard's address (the
 * alerts page); `count` is the number of reviews due, for the digest.
 *
 * @example noticeContent('alert-created', { dashboardUrl: 'https://heard.example/dashboard/alerts' }).subject
 * // 'Heard: a safeguarding alert is waiting'
 */
export function noticeContent(kind: NoticeKind, opts: { dashboardUrl: string; partnershipName: string; count?: number }): NoticeContent {
  const signIn = `Sign in to read it and record what was done:\n${opts.dashboardUrl}\n`;
  const footer = `\nThis email never holds what was written: read it on the dashboard, where each read is recorded in the audit log.\nYou get it because you are listed for safeguarding alerts of ${opts.partnershipName} in Heard. A partnership admin can change the list.\n`;
  switch (kind) {
    case 'alert-created':
      return {
        subject: 'Heard: a safeguarding alert is waiting',
        text: `A new safeguarding alert for ${opts.partnershipName} is waiting for a safeguarding lead. It should be acknowledged within the hour.\n\n${signIn}${footer}`,
      };
    case 'alert-overdue':
      return {
        subject: 'Heard: a safeguarding alert is overdue',
        text: `A safeguarding alert for ${opts.partnershipName} has not been acknowledged within the hour. Please look at it now.\n\n${signIn}${footer}`,
      };
    case 'reviews-due': {
      const n = opts.count ?? 0;
      return {
        subject: `Heard: ${n} ${n === 1 ? 'review is' : 'reviews are'} due`,
        text: `${n} ${n === 1 ? 'answer is' : 'answers are'} waiting for review for ${opts.partnershipName}, due within one working day.\n\n${signIn}${footer}`,
      };
    }
  }
}
