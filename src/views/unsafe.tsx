import type { FC } from 'hono/jsx';
import { Page, type PageProps } from './layout';

export interface UnsafePageProps extends Omit<PageProps, 'title' | 'dir'> {
  surveyId: string;
  /** Where the optional words are posted (the same press: they join its alert). */
  action: string;
  press: string;
  /** The press came through a link with a contact reference: the lead can reach the child's worker. */
  identifiable: boolean;
  /** The child has sent words: thank them, and ask nothing more. */
  told: boolean;
  /** Back to the survey (the page, with the same language and link). */
  backUrl: string;
}

/**
 * What "I'm not safe" shows at once: who can help right now (999, Childline, Shout), the honest
 * line about what we can and can't do, and one optional question. Works without JavaScript.
 */
export const UnsafePage: FC<UnsafePageProps> = (p) => {
  const { m } = p.locale;
  return (
    <Page {...p} dir="ltr" title={m.pageTitle} pressed>
      <section class="signpost" aria-labelledby="unsafe-title" data-unsafe>
        <h1 id="unsafe-title" tabindex={-1}>
          {p.told ? m.disclosureThanks : m.unsafeTitle}
        </h1>
        <p>{p.identifiable ? m.unsafeKnown : m.unsafeCantReach}</p>
        <ul class="contacts">
          <li>
            <strong>
              <a href="tel:999">999</a>
            </strong>
            <span class="contact-text">{m.unsafe999}</span>
          </li>
          <li>
            <strong>
              <a href="tel:08001111">0800 1111</a>
            </strong>
            <span class="contact-text">{m.unsafeChildline}</span>
            <a class="contact-text" href="https://www.childline.org.uk/get-support/1-2-1-counsellor-chat/" rel="noreferrer">
              {m.unsafeChildlineChat}
            </a>
          </li>
          <li>
            <strong>
              <a href="sms:85258">85258</a>
            </strong>
            <span class="contact-text">{m.unsafeShout}</span>
          </li>
        </ul>
      </section>
      {p.told ? null : (
        <form method="post" action={p.action} autocomplete="off" class="unsafe-tell" data-unsafe-tell>
          <input type="hidden" name="press" value={p.press} />
          <label class="label" for="unsafe-text">
            {m.unsafeAsk}
          </label>
          <textarea id="unsafe-text" name="text" rows={4} maxlength={4000} spellcheck></textarea>
          <button type="submit" class="primary">
            {m.unsafeSend}
          </button>
        </form>
      )}
      <p>
        <a href={p.backUrl} class="back-link">
          {m.unsafeBack}
        </a>
      </p>
    </Page>
  );
};
