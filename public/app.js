// Unpoly compilers only: the server renders everything, these add small behaviours. Event
// names are never written here: the markup carries them ({{appEvent ...}} in the views, from
// src/common/unpoly/app-events.ts). See docs/architecture.md, "Event names".

// Reload an element when the server announces a change (X-Up-Events), e.g.
// <div id="tickets" data-reload-on="{{appEvent 'ticketsChanged'}}">. Modals emit these on success.
up.compiler('[data-reload-on]', (element) => {
  const unbinds = element.dataset.reloadOn
    .split(/\s+/)
    .filter(Boolean)
    .map((type) =>
      up.on(type, () =>
        // A newer reload of the same element (another change announced meanwhile) aborts this one.
        up.reload(element).catch((error) => {
          if (!(error instanceof up.Aborted)) throw error;
        }),
      ),
    );
  return () => unbinds.forEach((unbind) => unbind());
});

// Initials avatars get their colour from data-color (inline styles are blocked by the CSP).
// On a light colour the initials are dark, so they stay readable (WCAG contrast).
up.compiler('.avatar-initials[data-color]', (element) => {
  const color = element.dataset.color;
  element.style.backgroundColor = color;
  const rgb = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!rgb) return;
  const [r, g, b] = rgb.slice(1).map((hex) => {
    const channel = parseInt(hex, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // 4.5:1 needs white text below a luminance of 0.183 and black text above 0.175: split between.
  element.style.color = luminance < 0.179 ? '#fff' : '#000';
});

// Ticket board: a card can be dragged onto another column to change its status. It sends the
// same PATCH as the status menu of the details modal (the keyboard-accessible way), then the
// board reloads from the server, so it always shows what was saved.
up.compiler('[data-ticket-card]', (card) => [
  up.on(card, 'dragstart', (event) => {
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', `#${card.dataset.number}`);
    card.classList.add('dragging');
  }),
  up.on(card, 'dragend', () => card.classList.remove('dragging')),
]);

// After a drop the board emits the events named by data-drop-emits on its container, whether
// the move was saved or not, so that it reloads to what the server holds.
up.compiler('[data-drop-status]', (column) => {
  const status = column.dataset.dropStatus;
  const changed = column.closest('[data-drop-emits]')?.dataset.dropEmits.split(/\s+/).filter(Boolean) ?? [];
  const dragged = () => document.querySelector('[data-ticket-card].dragging');
  const explain = (response) => {
    if (response && response.status === 409)
      return 'someone else changed it meanwhile. The board now shows it as it is.';
    if (response && response.status === 404) return 'it no longer exists.';
    if (response && (response.status === 401 || response.status === 403))
      return 'you were signed out. Reload the page to sign in again.';
    return 'the server could not be reached. Please try again.';
  };
  return [
    up.on(column, 'dragover', (event) => {
      if (!dragged()) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      column.classList.add('drop-target');
    }),
    up.on(column, 'dragleave', (event) => {
      if (!column.contains(event.relatedTarget)) column.classList.remove('drop-target');
    }),
    up.on(column, 'drop', async (event) => {
      event.preventDefault();
      column.classList.remove('drop-target');
      const card = dragged();
      if (!card || card.dataset.status === status) return;
      card.classList.remove('dragging');
      column.querySelector('.ticket-cards').prepend(card);
      // The message line outside the board (which reloads) also tells tests when the move is done.
      const message = document.getElementById('board-message');
      message?.setAttribute('data-state', 'saving');
      try {
        await up.request(card.querySelector('.ticket-link').getAttribute('href'), {
          method: 'patch',
          params: { status, version: card.dataset.version, baseStatus: card.dataset.status, source: 'board' },
        });
        message?.classList.add('d-none');
        message?.setAttribute('data-state', 'saved');
      } catch (response) {
        if (message) {
          message.textContent = `Ticket #${card.dataset.number} was not moved: ${explain(response)}`;
          message.classList.remove('d-none');
          message.setAttribute('data-state', 'failed');
        }
      }
      changed.forEach((type) => up.emit(type));
    }),
  ];
});

// Markdown preview beside a description field: the server renders it (raw HTML off) as the
// details will show it. <textarea data-markdown-preview="#target" data-preview-url="...">
up.compiler('[data-markdown-preview]', (textarea) => {
  const target = textarea.dataset.markdownPreview;
  return up.watch(textarea, { event: 'input', delay: 300 }, () =>
    up
      .render({
        target,
        failTarget: target,
        origin: textarea,
        url: textarea.dataset.previewUrl,
        method: 'post',
        params: { description: textarea.value, previewId: target.replace(/^#/, '') },
        history: false,
        scroll: false,
        focus: 'keep',
        // Not something the person asked for: a refusal (signed out) must not interrupt typing.
        background: true,
      })
      .catch(() => {}),
  );
});

// "Copy" buttons: <button data-copy-from="#invitation-link"> copies that input's value.
up.compiler('[data-copy-from]', (button) => {
  const copy = () => {
    const source = document.querySelector(button.dataset.copyFrom);
    if (!source) return;
    source.select();
    const done = () => {
      button.textContent = 'Copied';
    };
    if (navigator.clipboard)
      navigator.clipboard.writeText(source.value).then(done, () => document.execCommand('copy') && done());
    else if (document.execCommand('copy')) done();
  };
  button.addEventListener('click', copy);
  return () => button.removeEventListener('click', copy);
});

// Unpoly drops the X-Up-Events of a response that also closes the modal (X-Up-Accept-Layer):
// the layer is gone before it would emit them. Emit them once the layer has closed, so that
// the page beneath (data-reload-on) refreshes after a successful modal submit. Documented API
// only: the event's `response` (an up.Response) and its header() method.
up.on('up:layer:accepted up:layer:dismissed', (event) => {
  const header = event.response?.header('X-Up-Events');
  if (!header) return;
  for (const { type, ...properties } of JSON.parse(header)) up.emit(type, properties);
});

// A page of a project leaves for the dashboard when that project is deleted:
// <div data-leave-on="{{appEvent 'projectDeleted'}}" data-project-id="...">; the server sends
// that event with { projectId } in X-Up-Events.
up.compiler('[data-leave-on]', (element) =>
  up.on(element.dataset.leaveOn, (event) => {
    if (event.projectId === element.dataset.projectId) up.navigate({ url: '/', layer: 'root' });
  }),
);

// Acknowledgements of closed modals: <div role="status" data-toast-on="..."> (in the layout,
// outside every fragment that reloads) shows each event's `message` as a Bootstrap toast.
up.compiler('[data-toast-on]', (region) =>
  up.on(region.dataset.toastOn, (event) => {
    if (!event.message) return;
    const toast = document.createElement('div');
    toast.className = 'toast align-items-center text-bg-success border-0';
    toast.dataset.toast = '';
    const row = document.createElement('div');
    row.className = 'd-flex';
    const body = document.createElement('div');
    body.className = 'toast-body';
    body.textContent = event.message;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'btn-close btn-close-white me-2 m-auto';
    close.setAttribute('aria-label', 'Close');
    close.dataset.bsDismiss = 'toast';
    row.append(body, close);
    toast.append(row);
    region.append(toast);
    toast.addEventListener('hidden.bs.toast', () => toast.remove());
    if (window.bootstrap) window.bootstrap.Toast.getOrCreateInstance(toast, { delay: 6000 }).show();
    else toast.classList.add('show');
  }),
);
