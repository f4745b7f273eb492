import type { FC } from 'hono/jsx';
import type { Signpost } from '../domain/analysis';
import type { ResolvedSurvey } from '../domain/survey';
import { fill } from '../locales';
import { Page, type PageProps } from './layout';

export interface ThanksPageProps extends Omit<PageProps, 'title' | 'dir' | 'lang'> {
  survey: ResolvedSurvey;
  /** Present when the response may have disclosed harm: shown before anything else. */
  signpost?: Signpost;
  /** Published "you said, we did" items for this survey, newest first. */
  youSaidWeDid: { heard: string; did: string; status: string }[];
}

/** Thank-you and what happens next; the supportive signpost first when the answers asked for it. */
export const ThanksPage: FC<ThanksPageProps> = (p) => {
  const { survey, locale, signpost } = p;
  const signpostLang = !signpost || signpost.lang === survey.lang ? {} : { lang: signpost.lang };
  return (
    <Page {...p} lang={survey.lang} dir={survey.dir} title={locale.m.pageTitle}>
      {signpost ? (
        <section class="signpost" aria-labelledby="support-title" data-signpost>
          <h1 id="support-title" {...(locale.lang === survey.lang ? {} : { lang: locale.lang })}>
            {locale.m.supportTitle}
          </h1>
          <p {...signpostLang}>{signpost.message}</p>
          <ul class="contacts" {...signpostLang}>
            {signpost.contacts.map((c) => (
              <li>
                <strong>{c.name}</strong> <a href={`${c.kind === 'text' ? 'sms' : 'tel'}:${c.number.replace(/\s+/g, '')}`}>{c.number}</a>
                <span class="contact-text">{c.text}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {signpost ? <h2 class="thanks">{survey.thankYou}</h2> : <h1 class="thanks">{survey.thankYou}</h1>}
      <section aria-labelledby="next-title">
        {signpost ? (
          <h3 id="next-title">{locale.m.whatNextTitle}</h3>
        ) : (
          <h2 id="next-title" {...(locale.lang === survey.lang ? {} : { lang: locale.lang })}>
            {locale.m.whatNextTitle}
          </h2>
        )}
        <p>{survey.whatNext}</p>
      </section>
      {p.youSaidWeDid.length ? (
        <section aria-labelledby="ysd-title" class="you-said">
          <h2 id="ysd-title" {...(locale.lang === survey.lang ? {} : { lang: locale.lang })}>
            {locale.m.youSaidWeDid}
          </h2>
          <ul>
            {p.youSaidWeDid.map((item) => (
              <li>
                <p>{fill(locale.m.youSaid, { heard: item.heard })}</p>
                <p>{fill(locale.m.weDid, { did: item.did })}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
};

/** A short page for "not found" and "closed": still neutral, still with Leave quickly and the safety line. */
export const MessagePage: FC<Omit<PageProps, 'title' | 'dir'> & { heading: string; body: string }> = (p) => (
  <Page {...p} dir="ltr" title={p.locale.m.pageTitle}>
    <h1>{p.heading}</h1>
    <p>{p.body}</p>
  </Page>
);
