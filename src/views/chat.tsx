import type { FC } from 'hono/jsx';
import type { ResolvedSurvey } from '../domain/survey';
import type { MessageKey } from '../locales';
import { Page, uiLang, type PageProps } from './layout';
import { LanguageLinks } from './survey';

export interface ChatPageProps extends Omit<PageProps, 'title' | 'dir' | 'script'> {
  surveyId: string;
  survey: ResolvedSurvey;
  /** What the browser sends to start the conversation. */
  start: { lang: string; ageBand?: string; link?: string };
  /** Query string for the language links and the form page, so link/age/embed/leave survive. */
  carry: URLSearchParams;
}

/** The words widgets/chat.ts needs, sent as data (the page has no inline script). */
const CHAT_WORDS: MessageKey[] = [
  'readToMe',
  'stopReading',
  'send',
  'tooLong',
  'closed',
  'linkUsed',
  'retry',
  'supportTitle',
  'whatNextTitle',
  'chatChoose',
  'chatChooseMany',
  'chatSendMany',
  'chatOrType',
  'textLimitWords',
  'chatNearlyFull',
  'chatTooLong',
  'talkTitle',
  'unsafe999',
  'unsafeChildline',
  'unsafeChildlineChat',
  'unsafeShout',
  'chatEmpty',
  'chatYou',
  'chatStarting',
  'chatOffline',
  'chatExpired',
  'chatFailed',
  'chatNoRestart',
  'youSaidWeDid',
  'youSaid',
  'weDid',
];

/**
 * The survey as a chat: a server-rendered shell that widgets/chat.ts brings to life (the
 * conversation itself comes from the conversation API). The shell stays hidden until the script
 * runs; without JavaScript the page says so and links to the same survey as a form.
 */
export const ChatPage: FC<ChatPageProps> = (p) => {
  const { survey, locale } = p;
  const page = survey.lang;
  const ui = uiLang(locale, page);
  const form = new URLSearchParams(p.carry);
  form.set('lang', survey.lang);
  const formUrl = `/s/${encodeURIComponent(p.surveyId)}?${form}`;
  const config = {
    start: `/api/v1/surveys/${encodeURIComponent(p.surveyId)}/conversations`,
    conversations: '/api/v1/conversations/',
    body: p.start,
    // One conversation per survey and language in this tab.
    key: `heard:chat:${p.surveyId}:${survey.lang}`,
    uiLang: locale.lang,
    speechLang: survey.lang,
    m: Object.fromEntries(CHAT_WORDS.map((k) => [k, locale.m[k]])),
  };
  return (
    <Page {...p} link={p.start.link} dir={survey.dir} title={locale.m.pageTitle} script="chat.js">
      <LanguageLinks languages={survey.languages} current={survey.lang} carry={p.carry} />
      <h1 id="title">{survey.title}</h1>
      <div class="chat-fallback">
        <p data-nojs {...ui}>
          {locale.m.chatNeedsJs}
        </p>
        <p>
          <a href={formUrl} data-form-link {...ui}>
            {locale.m.chatUseForm}
          </a>
        </p>
      </div>
      <div class="chat" data-chat data-config={JSON.stringify(config)} hidden>
        <div class="chat-log" id="chat-log" role="log" aria-live="polite" aria-labelledby="title" data-log></div>
        {/* Motion only, never announced: the log says what happens. */}
        <div class="typing" aria-hidden="true" data-typing hidden>
          <span></span>
          <span></span>
          <span></span>
        </div>
        <p class="status" role="status" data-status></p>
        <button type="button" class="secondary" data-retry hidden {...ui}>
          {locale.m.retry}
        </button>
        {/* biome-ignore lint/a11y/useSemanticElements: a group of buttons, named by the question; a fieldset is for form controls */}
        <div class="replies" role="group" aria-labelledby="chat-choose" data-replies hidden>
          <p class="label" id="chat-choose" data-choose {...ui}>
            {locale.m.chatChoose}
          </p>
          <div class="reply-buttons" data-reply-buttons></div>
        </div>
        <form class="composer" data-composer autocomplete="off" novalidate hidden>
          {/* The privacy line comes before the box, so it is read before anything is typed. */}
          <p class="privacy" id="chat-privacy">
            {survey.privacy}
          </p>
          <label class="label" for="chat-text" data-text-label {...ui}>
            {locale.m.chatOrType}
          </label>
          <textarea id="chat-text" rows={2} spellcheck aria-describedby="chat-privacy chat-count" data-text></textarea>
          {/* The one counter: updated once the typing pauses, so it is announced politely, not on every key. */}
          <p class="hint count" id="chat-count" aria-live="polite" data-count {...ui}></p>
          <button type="submit" class="primary" {...ui}>
            {locale.m.send}
          </button>
        </form>
        <div class="nav" data-controls hidden>
          <button type="button" class="secondary" data-back hidden {...ui}>
            {locale.m.back}
          </button>
          <button type="button" class="secondary" data-restart {...ui}>
            {locale.m.chatStartAgain}
          </button>
        </div>
        <div data-end></div>
      </div>
    </Page>
  );
};
