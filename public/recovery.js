// What was typed survives a submission that could not be saved. See docs/architecture.md,
// "Client code".
// - The session ended (signed out elsewhere, password changed, timed out): the server says so
//   in the X-Hticket-Session header (src/common/unpoly/session-signal.ts). The form stays as it
//   is, the person signs in again in a layer over it, and the form is sent again with the new
//   session's CSRF token; if they signed in as someone else, it is only kept, with a message.
// - The form carries an earlier session's token (signed in again in another tab): the refusal
//   carries the current one; the form is sent again if the same person is signed in.
// - The server could not be reached: the form stays, with a message and a Retry button.

const SESSION_HEADER = 'X-Hticket-Session';
const SIGN_IN_URL = '/login?again=1';
const NOT_RENEWED =
  'Not sent: the session could not be renewed. Your text is kept; reload the page in another tab and send it again.';

const metaContent = (root, name) => root.querySelector(`meta[name="${name}"]`)?.getAttribute('content') || null;
const signedInUser = () => metaContent(document, 'signed-in-user');

/** The CSRF token and the person of a page sent by the server (an error page, the sign-in answer). */
function sessionOf(html) {
  const page = new DOMParser().parseFromString(html || '', 'text/html');
  return { token: metaContent(page, 'csrf-token'), userId: metaContent(page, 'signed-in-user') };
}

/** Every form on the page and Unpoly's header take the new token; the page knows who is signed in. */
function adoptSession({ token, userId }) {
  const param = metaContent(document, 'csrf-param') || '_csrf';
  document.querySelector('meta[name="csrf-token"]')?.setAttribute('content', token);
  for (const input of document.querySelectorAll(`input[name="${CSS.escape(param)}"]`)) input.value = token;
  let user = document.querySelector('meta[name="signed-in-user"]');
  if (!user) {
    user = document.createElement('meta');
    user.setAttribute('name', 'signed-in-user');
    document.head.append(user);
  }
  user.setAttribute('content', userId || '');
}

/** The form a render pass submitted, if it was a submission (a link or a GET form has none). */
function submittedForm(render) {
  const origin = render.origin;
  if (!(origin instanceof Element) || !origin.isConnected) return null;
  const form = origin.closest('form');
  return form && (form.getAttribute('method') || 'get').toLowerCase() !== 'get' ? form : null;
}

function showNotice(form, text, retry) {
  form.querySelector(':scope > [data-recovery-notice]')?.remove();
  const notice = document.createElement('div');
  notice.className = 'alert alert-warning d-flex flex-wrap align-items-center gap-2';
  notice.setAttribute('role', 'alert');
  notice.dataset.recoveryNotice = '';
  const message = document.createElement('span');
  message.textContent = text;
  notice.append(message);
  if (retry) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-sm btn-outline-dark ms-auto';
    button.textContent = 'Retry';
    button.dataset.recoveryRetry = '';
    button.addEventListener('click', () => {
      notice.remove();
      retry();
    });
    notice.append(button);
  }
  form.prepend(notice);
  return notice;
}

/**
 * The same render pass again (where it goes, what it updates), with the form's fields as they
 * are now (their token included). Marked, so that a second refusal is not answered by a loop.
 */
function sendAgain(render, form) {
  const options = { ...render, hticketSentAgain: true };
  for (const key of ['response', 'expiredResponse', 'guardEvent']) delete options[key];
  if (form) options.params = up.Params.fromForm(form);
  up.render(options).catch(() => {
    // Shown where it belongs: a form with errors, a refusal, or the offline notice below.
  });
}

/** After a new session: the same person carries on; anyone else decides for themselves. */
function carryOn(render, session, before) {
  const form = submittedForm(render);
  if (!session.token) {
    if (form) showNotice(form, NOT_RENEWED);
    return;
  }
  adoptSession(session);
  if (session.userId && session.userId === before) return sendAgain(render, form);
  if (!form) return window.location.reload();
  up.reload('#navbar', { layer: 'root' }).catch(() => {});
  showNotice(
    form,
    'Not sent: you are now signed in with another account. Your text is kept: check it, then send it again.',
  );
}

// The sign-in layer while it is open.
let signInLayer = null;

function signInAgain(render) {
  const before = signedInUser();
  // The sign-in form itself was refused (its own session expired): show a fresh one.
  if (signInLayer) {
    up.navigate({ url: SIGN_IN_URL, layer: signInLayer, history: false }).catch(() => {});
    return;
  }
  up.layer
    .open({
      url: SIGN_IN_URL,
      mode: 'modal',
      history: false,
      onOpened: (event) => {
        signInLayer = event.layer;
      },
      onAccepted: (event) => {
        signInLayer = null;
        carryOn(render, sessionOf(event.response?.text), before);
      },
      onDismissed: () => {
        signInLayer = null;
        const form = submittedForm(render);
        if (form)
          showNotice(
            form,
            'Not sent: your session has ended. Your text is kept; send it again to sign in and save it.',
          );
      },
    })
    .catch(() => {});
}

up.on('up:fragment:loaded', (event) => {
  const signal = event.response.header(SESSION_HEADER);
  if (!signal || event.request.background) return;
  // Keep the page as it is rather than showing the refusal in place of what was typed.
  event.preventDefault();
  const render = event.renderOptions;
  const form = submittedForm(render);
  if (render.hticketSentAgain) {
    if (form) showNotice(form, NOT_RENEWED);
    return;
  }
  if (signal === 'token-stale') carryOn(render, sessionOf(event.response.text), signedInUser());
  else signInAgain(render);
});

up.on('up:fragment:offline', (event) => {
  if (event.request.background) return;
  const render = event.renderOptions;
  const form = submittedForm(render);
  if (!form) return;
  const notice = showNotice(form, 'Could not reach hticket. Your text is kept.', () => sendAgain(render, form));
  notice.querySelector('[data-recovery-retry]').focus();
});
