import type { FC } from 'hono/jsx';
import type { Signpost } from '../domain/analysis';
import type { ResolvedSurvey } from '../domain/survey';
import { heardWithoutPrefix } from '../domain/you-said';
import { Page, type PageProps } from './layout';

export interface ThanksPageProps extends Omit<PageProps, 'title' | 'dir' | 'lang'> {
  survey: ResolvedSurvey;
  /** Present when the response may have disclosed harm: then only the signpost and a calm line. */
  signpost?: Signpost;
  /** The answers came through a link with a contact reference: we can reach the child. */
  known?: boolean;
  /** Published "you said, we did" items for this survey, newest first, each in the language it is written in. */
  youSaidWeDid: { heard: string; did: string; lang: string; status: string }[];
  /** Only this survey's own actions are shown (a community survey): say so plainly when there are none. */
  ownActionsOnly?: boolean;
}

/**
 * Thank-you and what happens next. After a possible disclosure the child comes first: only the
 * calm line, the honest line about what we can do, and who can help now; nothing cheerful after.
 */
export const ThanksPage: FC<ThanksPageProps> = (p) => {
  const { survey, locale, signpost } = p;
  const ui = locale.lang === survey.lang ? {} : { lang: locale.lang };
  if (signpost) {
    const signpostLang = signpost.lang === survey.lang ? {} : { lang: signpost.lang };
    return (
      <Page {...p} lang={survey.lang} dir={survey.dir} title={locale.m.pageTitle}>
        <section class="signpost" aria-labelledby="support-title" data-signpost>
          <h1 id="support-title" {...ui}>
            {locale.m.disclosureThanks}
          </h1>
          {p.known ? <p {...signpostLang}>{signpost.message}</p> : <p {...ui}>{locale.m.unsafeCantReach}</p>}
          <ul class="contacts" {...signpostLang}>
            {signpost.contacts.map((c) => (
              <li>
                <strong>{c.name}</strong> <a href={`${c.kind === 'text' ? 'sms' : 'tel'}:${c.number.replace(/\s+/g, '')}`}>{c.number}</a>
                <span class="contact-text">{c.text}</span>
              </li>
            ))}
          </ul>
        </section>
      </Page>
    );
  }
  return (
    <Page {...p} lang={survey.lang} dir={survey.dir} title={locale.m.pageTitle}>
      <h1 class="thanks">{survey.thankYou}</h1>
      <section aria-labelledby="next-title">
        <h2 id="next-title" {...ui}>
          {locale.m.whatNextTitle}
        </h2>
        <p>{survey.whatNext}</p>
        {p.ownActionsOnly && !p.youSaidWeDid.length ? (
          <p {...ui} data-nothing-yet>
            {locale.m.nothingPublishedYet}
          </p>
        ) : null}
      </section>
      {p.youSaidWeDid.length ? (
        <section aria-labelledby="ysd-title" class="you-said">
          <h2 id="ysd-title" {...ui}>
            {locale.m.youSaidWeDid}
          </h2>
          <ul>
            {p.youSaidWeDid.map((item) => {
              // An action with no words in the reader's language is shown in English, marked so a screen reader says it as English.
              const words = item.lang === locale.lang ? undefined : item.lang;
              return (
                <li>
                  <p {...ui}>
                    <Filled template={locale.m.youSaid} slot="heard" text={heardWithoutPrefix(item.heard)} lang={words} />
                  </p>
                  <p {...ui}>
                    <Filled template={locale.m.weDid} slot="did" text={item.did} lang={words} />
                  </p>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </Page>
  );
};

/** A sentence in the page's language around words that may be in another: those words carry their own `lang`. */
const Filled: FC<{ template: string; slot: string; text: string; lang: string | undefined }> = ({ template, slot, text, lang }) => {
  const [before = '', after = ''] = template.split(`{${slot}}`);
  return (
    <>
      {before}
      {lang ? <span lang={lang}>{text}</span> : text}
      {after}
    </>
  );
};

/** A short page for "not found" and "closed": still neutral, still with Leave quickly and the safety line. */
export const MessagePage: FC<Omit<PageProps, 'title' | 'dir'> & { heading: string; body: string }> = (p) => (
  <Page {...p} dir="ltr" title={p.locale.m.pageTitle}>
    <h1>{p.heading}</h1>
    <p>{p.body}</p>
  </Page>
);
