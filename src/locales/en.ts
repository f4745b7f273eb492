/**
 * English wording for everything around a survey's own questions. Survey wording comes from the
 * survey definition; these are the words Heard adds. `{n}`-style slots are filled in by the page
 * and by the browser script, so they stay plain strings.
 */
export const en = {
  pageTitle: 'Feedback',
  errorTitlePrefix: 'Error:',
  leave: 'Leave quickly',
  leaveHint: 'Or press Esc 3 times.',
  safety: 'If you are in danger now, call {999}. You can talk to Childline any time: {childline} (free).',
  skip: 'I’d rather not say',
  readToMe: 'Read it to me',
  stopReading: 'Stop reading',
  next: 'Next',
  back: 'Back',
  send: 'Send',
  progress: 'Question {n} of {total}',
  textLimit: 'You can write up to {max} characters.',
  branchHint: 'Only answer this if your answer to “{question}” was: {answers}.',
  or: 'or',
  errorSummary: 'There is a problem',
  tooLong: 'Your answer is too long. Use {max} characters or fewer.',
  notAnOption: 'Choose one of the answers, or “I’d rather not say”.',
  linkProblem: 'This feedback link is not for this survey. You can still answer without it.',
  formProblem: 'Something in the form was not right. Please check your answers and send them again.',
  sending: 'Sending your answers…',
  offline: 'We couldn’t send your answers yet. We’ll keep trying while this page is open.',
  retry: 'Try again now',
  closed: 'This survey has closed. Thank you for wanting to tell us.',
  linkUsed: 'This feedback link has expired or has already been used.',
  failed: 'Something went wrong on our side. Please try again.',
  notFoundTitle: 'We can’t find this page',
  notFoundBody: 'The link may be wrong, or the survey may not be open yet.',
  closedTitle: 'This survey has closed',
  whatNextTitle: 'What happens next',
  supportTitle: 'You don’t have to cope with this on your own',
  openSurvey: 'Tell us how it went',
  close: 'Close',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
