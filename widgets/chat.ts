/**
 * Brings the chat page (src/views/chat.tsx) to life against the conversation API: starts or
 * resumes a conversation, shows what the bot says in the log, offers quick replies as buttons and
 * a text box, and retries a reply that did not get through. The conversation id and resume token
 * live only in sessionStorage, and only until the end (or Leave quickly). Answers are never stored
 * on the device. If anything here fails, the page still links to the same survey as a form.
 */
import type { Reply, Step } from '../src/domain/conversation';
import type { SignpostOutput as Signpost } from '../src/schemas/api';
import type { ConversationOutput, ReplyAcceptedOutput } from '../src/schemas/conversation';
import { RESUME_HEADER } from '../src/schemas/headers';
import { heardWithoutPrefix } from '../src/domain/you-said';
import { $$, canSpeak, faceSvg, fill, limitWords, setUpPage, speak } from './page';

const TIMEOUT_MS = 15_000;
/** Room for a typed answer to a quick-reply question ("yeah", "it was ok really"). */
const TYPED_MAX = 500;

type Question = Extract<Step, { type: 'question' }>;
type End = Omit<Extract<Step, { type: 'end' }>, 'answers'>;
type Shown = Question | End;
interface Config {
  start: string;
  conversations: string;
  body: { lang: string; ageBand?: string; link?: string };
  key: string;
  uiLang: string;
  speechLang: string;
  m: Record<string, string>;
}
interface Saved {
  conversationId: string;
  resumeToken: string;
}
/** status 0: no answer at all (offline, timed out), so a reply may or may not have arrived. */
type Result<T> = { ok: true; status: number; body: T } | { ok: false; status: number; code?: string };

/** fetch with a timeout that answers with a result instead of throwing. */
async function call<T>(url: string, init: RequestInit): Promise<Result<T>> {
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(url, { ...init, credentials: 'omit', cache: 'no-store', signal: abort.signal });
    const body = await res.json().catch(() => null);
    return res.ok ? { ok: true, status: res.status, body: body as T } : { ok: false, status: res.status, code: body?.error?.code };
  } catch {
    return { ok: false, status: 0 };
  } finally {
    clearTimeout(timeout);
  }
}

/** Worth trying again later: nothing came back, or the server or network was struggling. */
const transient = (status: number) => status === 0 || status >= 500 || status === 408 || status === 429;

function make<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  return el;
}

/** A paragraph of the chat's words around `text` filled into `{slot}`; `lang` marks text in another language. */
function filled(template: string, slot: string, text: string, lang: string): HTMLParagraphElement {
  const [before = '', after = ''] = template.split(`{${slot}}`);
  const p = make('p', '', before);
  const words = make('span', '', text);
  if (lang) words.lang = lang;
  p.append(words, after);
  return p;
}

const SPEAKER =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M4 9v6h4l5 4V5L8 9H4zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z" fill="currentColor"/></svg>';

class Chat {
  private cfg: Config;
  private m: Record<string, string>;
  private log: HTMLElement;
  private typing: HTMLElement;
  private status: HTMLElement;
  private retry: HTMLButtonElement;
  private replies: HTMLElement;
  private choose: HTMLElement;
  private buttons: HTMLElement;
  private composer: HTMLFormElement;
  private text: HTMLTextAreaElement;
  private textLabel: HTMLElement;
  private count: HTMLElement;
  private controls: HTMLElement;
  private back: HTMLButtonElement;
  private end: HTMLElement;

  private saved: Saved | null = null;
  /** Replies the server has accepted: sent with each reply so a resend can never answer twice. */
  private accepted = 0;
  private step: Shown | null = null;
  /** Lines in the server's transcript as far as we know: tells whether a reply sent blind arrived. */
  private lines = 0;
  private busy = false;
  private attempt = 0;
  private timer = 0;
  private countTimer = 0;
  private again: (() => void) | null = null;
  private selected = new Set<string>();
  private messageId = 0;
  private questionId = '';

  constructor(private root: HTMLElement) {
    this.cfg = JSON.parse(root.dataset.config!) as Config;
    this.m = this.cfg.m;
    const q = <E extends HTMLElement>(name: string) => root.querySelector<E>(`[data-${name}]`)!;
    this.log = q('log');
    this.typing = q('typing');
    this.status = q('status');
    this.retry = q('retry');
    this.replies = q('replies');
    this.choose = q('choose');
    this.buttons = q('reply-buttons');
    this.composer = q('composer');
    this.text = q('text');
    this.textLabel = q('text-label');
    this.count = q('count');
    this.controls = q('controls');
    this.back = q('back');
    this.end = q('end');
  }

  start() {
    this.composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendText();
    });
    // Enter sends, as in any chat; Shift+Enter starts a new line.
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendText();
      }
    });
    // One counter, a polite live region, updated once the typing pauses rather than on every key.
    this.text.addEventListener('input', () => {
      clearTimeout(this.countTimer);
      this.countTimer = window.setTimeout(() => this.updateCount(), 800);
    });
    this.back.addEventListener('click', () => this.send({ type: 'back' }));
    this.root.querySelector('[data-restart]')!.addEventListener('click', () => this.send({ type: 'restart' }));
    this.retry.addEventListener('click', () => this.runAgain());
    addEventListener('online', () => this.runAgain());

    for (const el of $$<HTMLElement>(document, '[data-nojs]')) el.hidden = true;
    this.root.hidden = false;
    document.documentElement.classList.add('js');
    this.saved = this.load();
    if (this.saved) this.resume(false);
    else this.begin(false);
  }

  // -- talking to the server -------------------------------------------------------------------

  private async begin(focus: boolean): Promise<void> {
    this.say(this.m.chatStarting!);
    this.setTyping(true);
    const r = await call<Saved & { step: Shown; turn: number }>(this.cfg.start, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.cfg.body),
    });
    this.setTyping(false);
    if (r.ok) {
      this.saved = { conversationId: r.body.conversationId, resumeToken: r.body.resumeToken };
      this.accepted = r.body.turn;
      this.store(this.saved);
      this.settled();
      this.lines = r.body.step.messages.length;
      this.turn(r.body.step.messages);
      return this.show(r.body.step, focus);
    }
    // This address has started its hour's share of chats (a class on one school connection):
    // waiting would take up to an hour, so offer the one-page form straight away.
    if (r.status === 429 && r.code === 'too_many_chats') return this.stop(this.m.chatFailed!);
    if (transient(r.status)) return this.later(() => this.begin(focus));
    if (r.status === 400 && this.cfg.body.link) {
      // A link that isn't for this survey: answer without it, as the form page does.
      delete this.cfg.body.link;
      return this.begin(focus);
    }
    this.stop(r.status === 410 ? (r.code === 'link_unusable' ? this.m.linkUsed! : this.m.closed!) : this.m.chatFailed!);
  }

  private get() {
    return call<ConversationOutput>(this.cfg.conversations + encodeURIComponent(this.saved!.conversationId), {
      headers: { [RESUME_HEADER]: this.saved!.resumeToken },
    });
  }

  /** After a reload: the transcript so far and where we are, from the server. */
  private async resume(focus: boolean): Promise<void> {
    const r = await this.get();
    if (r.ok) {
      this.settled();
      return this.rebuild(r.body, focus);
    }
    if (transient(r.status)) return this.later(() => this.resume(focus));
    this.expired(focus);
  }

  /** The conversation was purged (24 hours) or the token is not ours: start a fresh one. */
  private expired(focus: boolean) {
    this.forget();
    this.log.textContent = '';
    this.begin(focus).then(() => this.busy || this.say(this.m.chatExpired!));
  }

  private send(reply: Reply, you?: string) {
    if (this.busy || !this.saved || this.step?.type !== 'question') return;
    this.say('');
    if (you !== undefined) this.addYou(you);
    this.deliver(reply, this.lines);
  }

  private async deliver(reply: Reply, before: number): Promise<void> {
    this.setBusy(true);
    this.setTyping(true);
    const r = await call<ReplyAcceptedOutput>(`${this.cfg.conversations}${encodeURIComponent(this.saved!.conversationId)}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resumeToken: this.saved!.resumeToken, answer: reply, turn: this.accepted }),
    });
    this.setTyping(false);
    if (r.ok) {
      this.settled();
      this.accepted = r.body.turn;
      // The server adds a line for what you said unless you went back or started again.
      this.lines = before + (reply.type === 'back' || reply.type === 'restart' ? 0 : 1) + r.body.step.messages.length;
      this.turn(r.body.step.messages, r.body.signpost);
      return this.show(r.body.step, true);
    }
    // It may have arrived and only the answer was lost: look before sending it again.
    if (transient(r.status)) return this.later(() => this.check(reply, before));
    if (r.status === 403 || r.status === 404) return this.expired(true);
    if (r.status === 410) return this.stop(r.code === 'link_unusable' ? this.m.linkUsed! : this.m.closed!);
    if (r.status === 409 && r.code === 'restart_limit') {
      // Nothing changed on the server: say why, and stop offering "Start again".
      this.settled();
      this.root.querySelector<HTMLElement>('[data-restart]')!.hidden = true;
      return this.say(this.m.chatNoRestart!);
    }
    // 409 (another reply got there first, or the chat had finished) or 400 (out of step with
    // the server): show the conversation as the server has it.
    this.resync();
  }

  /** Before sending a reply again: if the transcript grew, it arrived; show that instead. */
  private async check(reply: Reply, before: number): Promise<void> {
    const r = await this.get();
    if (r.ok && (r.body.transcript.length !== before || r.body.finished)) {
      this.settled();
      return this.rebuild(r.body, true);
    }
    if (r.ok) return this.deliver(reply, before);
    if (transient(r.status)) return this.later(() => this.check(reply, before));
    this.expired(true);
  }

  private async resync(): Promise<void> {
    const r = await this.get();
    if (r.ok) {
      this.settled();
      return this.rebuild(r.body, true);
    }
    if (transient(r.status)) return this.later(() => this.resync());
    this.expired(true);
  }

  /** Backs off like the form widget (3 s, 6 s, 12 s … up to a minute, with jitter); "Try again now" skips the wait. */
  private later(run: () => void) {
    this.setBusy(true);
    this.say(this.m.chatOffline!);
    this.retry.hidden = false;
    this.again = run;
    const delay = Math.min(60_000, 3000 * 2 ** this.attempt++) * (0.8 + Math.random() * 0.4);
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.runAgain(), delay);
  }

  private runAgain() {
    const run = this.again;
    if (!run) return;
    this.again = null;
    clearTimeout(this.timer);
    this.retry.hidden = true;
    run();
  }

  /** A request got an answer: stop retrying and unlock the controls. */
  private settled() {
    this.attempt = 0;
    this.again = null;
    this.retry.hidden = true;
    this.say('');
    this.setBusy(false);
  }

  /** Nothing more can happen here (closed, link used, broken): say why; the form link stays. */
  private stop(message: string) {
    this.forget();
    this.settled();
    for (const el of [this.replies, this.composer, this.controls]) el.hidden = true;
    this.say(message);
  }

  // -- showing it ------------------------------------------------------------------------------

  /** Rebuilds the log from the server's transcript without reading it all out again. */
  private rebuild(c: ConversationOutput, focus: boolean) {
    this.accepted = c.turn;
    this.log.setAttribute('aria-live', 'off');
    this.log.textContent = '';
    let said: string[] = [];
    const endTurn = () => {
      this.addSpeak(said);
      said = [];
    };
    for (const line of c.transcript) {
      if (line.from === 'you') {
        endTurn();
        this.addYou(line.text);
      } else if (line.kind !== 'end') {
        this.addBot(line.text, line.kind ?? '');
        said.push(line.text);
      }
    }
    endTurn();
    this.lines = c.transcript.length;
    setTimeout(() => this.log.setAttribute('aria-live', 'polite'), 500);
    this.show(c.step, focus);
  }

  /** One turn of the bot: anything supportive first, then the signpost, then the rest. */
  private turn(messages: { text: string; kind: string }[], signpost?: Signpost) {
    const support = messages.filter((x) => x.kind === 'support');
    const rest = messages.filter((x) => x.kind !== 'support' && x.kind !== 'end');
    for (const x of support) this.addBot(x.text, x.kind);
    // The signpost once: with the supportive words, or the first time one comes without them.
    if (signpost && (support.length || !this.log.querySelector('[data-signpost]'))) this.addSignpost(signpost, support.length > 0);
    for (const x of rest) this.addBot(x.text, x.kind);
    // One "Read it to me" for the whole turn, reading every line of it in order.
    this.addSpeak([...support, ...rest].map((x) => x.text));
  }

  private addSpeak(texts: string[]) {
    if (!texts.length || !canSpeak()) return;
    const button = make('button', 'speak');
    button.type = 'button';
    button.lang = this.cfg.uiLang;
    button.innerHTML = SPEAKER;
    const label = make('span', '', this.m.readToMe);
    button.append(label);
    button.addEventListener('click', () => speak(texts.join(' '), this.cfg.speechLang, label, this.m as { readToMe: string; stopReading: string }));
    const row = make('div', 'msg-speak');
    row.append(button);
    this.log.append(row);
  }

  private addBot(text: string, kind: string) {
    const msg = make('div', `msg bot ${kind}`);
    const p = make('p', '', text);
    p.id = `msg-${++this.messageId}`;
    // The group of quick replies is named by the question it answers.
    if (kind === 'question' && this.log.lastElementChild?.classList.contains('question') !== true) this.questionId = p.id;
    msg.append(p);
    this.log.append(msg);
  }

  private addYou(text: string) {
    const msg = make('div', 'msg you');
    const who = make('span', 'sr-only', `${this.m.chatYou} `);
    who.lang = this.cfg.uiLang;
    const p = make('p');
    p.append(who, text);
    msg.append(p);
    this.log.append(msg);
  }

  /** The supportive signpost (in the respondent's language where Heard has it) with numbers to call or text. */
  private addSignpost(s: Signpost, said: boolean) {
    const box = make('div', 'msg signpost');
    box.dataset.signpost = '';
    const title = make('h2', '', this.m.supportTitle);
    title.lang = this.cfg.uiLang;
    title.tabIndex = -1;
    box.append(title);
    if (!said) box.append(make('p', '', s.message));
    const list = make('ul', 'contacts');
    for (const c of s.contacts) {
      const li = make('li');
      const a = make('a', '', c.number);
      a.href = `${c.kind === 'text' ? 'sms' : 'tel'}:${c.number.replace(/\s+/g, '')}`;
      li.append(make('strong', '', c.name), ' ', a, make('span', 'contact-text', c.text));
      list.append(li);
    }
    box.append(list);
    for (const el of [box.lastElementChild!, ...(said ? [] : [box.children[1]!])]) (el as HTMLElement).lang = s.lang;
    this.log.append(box);
  }

  private show(step: Shown, focus: boolean) {
    this.step = step;
    if (step.type === 'end') return this.finish(step, focus);
    const { m } = this;
    this.selected.clear();
    this.buttons.textContent = '';
    this.choose.textContent = step.multiple ? m.chatChooseMany! : m.chatChoose!;
    // A text question's only button is "I'd rather not say": the question alone names it.
    this.choose.hidden = !!step.input;
    this.replies.setAttribute('aria-labelledby', step.input && this.questionId ? this.questionId : `${this.questionId} chat-choose`.trim());
    // A rating's options are numbers: each gets the face the page shows beside its words.
    const points = step.quickReplies.filter((x) => typeof x.value === 'number').length;
    const rating = points > 1 && points === step.quickReplies.length - 1;
    step.quickReplies.forEach((qr, i) => {
      const button = make('button', 'reply', qr.label);
      button.type = 'button';
      button.dataset.value = String(qr.value);
      if (rating && qr.value !== null) button.insertAdjacentHTML('afterbegin', faceSvg(i, points));
      const many = step.multiple && qr.value !== null;
      if (many) button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => {
        if (this.busy) return;
        if (step.pause && qr.value === 'talk') return this.talk();
        if (!many) return this.send({ type: 'answer', value: qr.value }, qr.label);
        const on = button.getAttribute('aria-pressed') !== 'true';
        button.setAttribute('aria-pressed', String(on));
        if (on) this.selected.add(String(qr.value));
        else this.selected.delete(String(qr.value));
      });
      this.buttons.append(button);
    });
    if (step.multiple) {
      const done = make('button', 'primary', m.chatSendMany);
      done.type = 'button';
      done.addEventListener('click', () => {
        const chosen = step.quickReplies.filter((x) => this.selected.has(String(x.value)));
        if (!chosen.length) return this.say(m.chatChooseMany!);
        this.send({ type: 'answer', value: chosen.map((x) => String(x.value)) }, chosen.map((x) => x.label).join(', '));
      });
      this.buttons.append(done);
    }
    this.textLabel.textContent = step.input?.label ?? m.chatOrType!;
    this.text.removeAttribute('aria-invalid');
    this.updateCount();
    this.replies.hidden = this.controls.hidden = false;
    // After a possible disclosure no questions are asked: only the three choices.
    this.composer.hidden = !!step.pause;
    if (!step.pause) this.root.querySelector('[data-talk]')?.remove();
    this.choose.hidden ||= !!step.pause;
    this.back.hidden = !step.canGoBack;
    this.end.textContent = '';
    // Focus follows the conversation, but never away from someone who is typing.
    if (focus && !(document.activeElement === this.text && this.text.value)) {
      (step.input ? this.text : this.buttons.querySelector<HTMLElement>('button'))?.focus();
    }
  }

  /** Thank-you, what happens next, "you said, we did"; then nothing of the chat stays on the device. */
  private finish(step: End, focus: boolean) {
    this.forget();
    for (const el of [this.replies, this.composer, this.controls]) el.hidden = true;
    const { m } = this;
    const ui = (el: HTMLElement) => {
      el.lang = this.cfg.uiLang;
      return el;
    };
    const section = make('section', 'chat-end');
    section.setAttribute('aria-labelledby', 'chat-thanks');
    const h2 = make('h2', 'thanks', step.thankYou);
    h2.id = 'chat-thanks';
    h2.tabIndex = -1;
    if (step.afterDisclosure) {
      // Only the calm line, the honest one where we can't reach them, and who can help now.
      section.append(h2);
      if (step.whatNext) section.append(make('p', '', step.whatNext));
      section.append(this.talkList());
    } else section.append(h2, ui(make('h3', '', m.whatNextTitle)), make('p', '', step.whatNext));
    if (step.youSaidWeDid.length && !step.afterDisclosure) {
      const list = make('ul', 'yswd');
      for (const item of step.youSaidWeDid) {
        const li = make('li');
        // Words not written in the chat's language (no Welsh yet) are marked, so a screen reader says them as English.
        const words = item.lang && item.lang !== this.cfg.uiLang ? item.lang : '';
        li.append(ui(filled(m.youSaid!, 'heard', heardWithoutPrefix(item.heard), words)), ui(filled(m.weDid!, 'did', item.did, words)));
        list.append(li);
      }
      section.append(ui(make('h3', '', m.youSaidWeDid)), list);
    }
    this.end.textContent = '';
    this.end.append(section);
    if (focus) (step.afterDisclosure ? h2 : (this.log.querySelector<HTMLElement>('[data-signpost]:last-child h2') ?? h2)).focus();
  }

  /** Who can help right now: 999, Childline by phone and by chat, Shout by text. */
  private talkList() {
    const { m } = this;
    const list = make('ul', 'contacts talk');
    list.lang = this.cfg.uiLang;
    const item = (href: string, label: string, text: string) => {
      const li = make('li');
      const a = make('a', '', label);
      a.href = href;
      li.append(a, make('span', 'contact-text', text));
      list.append(li);
    };
    item('tel:999', '999', m.unsafe999!);
    item('tel:08001111', '0800 1111', m.unsafeChildline!);
    item('https://www.childline.org.uk/get-support/1-2-1-counsellor-chat/', m.unsafeChildlineChat!, '');
    item('sms:85258', '85258', m.unsafeShout!);
    return list;
  }

  /** "Talk to someone now": the numbers and the chat link at once, here; the choices stay. */
  private talk() {
    let box = this.root.querySelector<HTMLElement>('[data-talk]');
    if (!box) {
      box = make('section', 'msg signpost');
      box.dataset.talk = '';
      box.setAttribute('aria-labelledby', 'talk-title');
      const title = make('h2', '', this.m.talkTitle);
      title.id = 'talk-title';
      title.lang = this.cfg.uiLang;
      title.tabIndex = -1;
      box.append(title, this.talkList());
      this.replies.before(box);
    }
    box.querySelector<HTMLElement>('h2')!.focus();
  }

  private sendText() {
    if (this.busy || this.step?.type !== 'question') return;
    const text = this.text.value.trim();
    const max = this.max();
    if (!text) return this.say(this.m.chatEmpty!);
    if ([...text].length > max) {
      this.text.setAttribute('aria-invalid', 'true');
      return this.say(fill(this.m.tooLong!, { max }));
    }
    this.text.value = '';
    this.updateCount();
    this.send({ type: 'text', text }, text);
  }

  private max() {
    return this.step?.type === 'question' && this.step.input ? this.step.input.maxLength : TYPED_MAX;
  }

  /** In words a child knows: how much they can write, "nearly full" near the end, "a bit too long" past it. */
  private updateCount() {
    const max = this.max();
    const left = max - [...this.text.value].length;
    this.count.textContent =
      left < 0
        ? this.m.chatTooLong!
        : left < max / 5
          ? fill(this.m.chatNearlyFull!, { words: limitWords(left) })
          : fill(this.m.textLimitWords!, { words: limitWords(max) });
    this.count.classList.toggle('over', left < 0);
    if (left >= 0) this.text.removeAttribute('aria-invalid');
  }

  /** While a reply is on its way, the controls say they are unavailable but keep focus where it is. */
  private setBusy(busy: boolean) {
    this.busy = busy;
    for (const b of $$<HTMLButtonElement>(this.root, '.reply, .primary, [data-back], [data-restart]')) {
      if (busy) b.setAttribute('aria-disabled', 'true');
      else b.removeAttribute('aria-disabled');
    }
  }

  /** The dots show only where motion is welcome; they are hidden from screen readers either way. */
  private setTyping(on: boolean) {
    this.typing.hidden = !(on && matchMedia('(prefers-reduced-motion: no-preference)').matches);
  }

  private say(text: string) {
    this.status.textContent = text;
    this.status.lang = this.cfg.uiLang;
  }

  // -- the device's copy: the id and token only ------------------------------------------------

  private load(): Saved | null {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.cfg.key) ?? 'null') as Saved | null;
      return saved && typeof saved.conversationId === 'string' && typeof saved.resumeToken === 'string' ? saved : null;
    } catch {
      return null;
    }
  }

  private store(saved: Saved) {
    try {
      sessionStorage.setItem(this.cfg.key, JSON.stringify(saved));
    } catch {
      /* storage blocked: the chat works, it just can't resume after a reload */
    }
  }

  private forget() {
    try {
      sessionStorage.removeItem(this.cfg.key);
    } catch {
      /* nothing to clear */
    }
  }
}

try {
  setUpPage();
  const root = document.querySelector<HTMLElement>('[data-chat]');
  if (root) new Chat(root).start();
} catch (err) {
  // The link to the form still works; say why in the console without any answers.
  console.error('[heard] chat failed:', err instanceof Error ? err.message : err);
}
