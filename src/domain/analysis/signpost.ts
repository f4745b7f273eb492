/** Shown at once to anyone whose answer may be a disclosure. We cannot see who they are. */
export const SIGNPOST: { message: string; contacts: { name: string; number: string; text: string }[] } = {
  message:
    "Thank you for telling us. What is happening is not your fault. We can't see who you are, so we can't come to help you ourselves. If you are in danger right now, call 999. You can talk to someone any time:",
  contacts: [
    { name: 'Emergency', number: '999', text: 'If you are in danger now, call 999.' },
    { name: 'Childline', number: '0800 1111', text: 'Free and private, any time, for anyone under 19. Call 0800 1111 or chat at childline.org.uk.' },
    { name: 'Shout', number: '85258', text: 'Text SHOUT to 85258 for free, any time, if you would rather not talk.' },
    { name: 'Samaritans', number: '116 123', text: 'Call 116 123 for free, any time, day or night.' },
  ],
};
