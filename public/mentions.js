// Mentions autocomplete: in a textarea with data-mentions-url, typing "@" and the start of a
// handle offers the project's people (an HTML list fetched once from that URL, see
// src/common/mentions.ts for the syntax). Arrow keys move, Enter or Tab inserts "@handle ",
// Escape closes; a click chooses too. Names are set as text, never as HTML.
(() => {
  // The "@" and what follows it up to the caret, when it starts a mention.
  const TYPED_MENTION = /(?:^|[^\p{L}\p{N}._%+\-@])@([\p{L}\p{N}._%+-]*)$/u;
  const MAX_CHOICES = 8;

  up.compiler('textarea[data-mentions-url]', (textarea) => {
    const listbox = document.createElement('ul');
    listbox.id = `${textarea.id}-mentions`;
    listbox.className = 'mention-menu list-group';
    listbox.setAttribute('role', 'listbox');
    listbox.setAttribute('aria-label', 'People to mention');
    listbox.hidden = true;
    textarea.after(listbox);
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-controls', listbox.id);

    let people = null;
    let loading = null;
    let choices = [];
    let active = 0;

    const load = () => {
      loading ??= up
        .request(textarea.dataset.mentionsUrl)
        .then((response) => {
          const list = new DOMParser().parseFromString(response.text, 'text/html');
          people = [...list.querySelectorAll('[data-handle]')].map((item) => ({
            handle: item.dataset.handle,
            name: item.dataset.name,
          }));
        })
        .catch(() => {
          loading = null; // try again on the next keystroke
        });
      return loading;
    };

    const typed = () => {
      if (textarea.selectionStart !== textarea.selectionEnd) return null;
      const match = TYPED_MENTION.exec(textarea.value.slice(0, textarea.selectionStart));
      return match ? match[1].toLowerCase() : null;
    };

    const close = () => {
      listbox.hidden = true;
      choices = [];
      textarea.removeAttribute('aria-activedescendant');
    };

    const show = () => {
      listbox.replaceChildren(
        ...choices.map((person, index) => {
          const option = document.createElement('li');
          option.id = `${listbox.id}-${index}`;
          option.className = `list-group-item list-group-item-action${index === active ? ' active' : ''}`;
          option.setAttribute('role', 'option');
          option.setAttribute('aria-selected', String(index === active));
          option.textContent = `${person.name} @${person.handle}`;
          option.addEventListener('mousedown', (event) => {
            event.preventDefault(); // keep the focus in the textarea
            choose(index);
          });
          return option;
        }),
      );
      listbox.hidden = false;
      // No aria-expanded: a textarea may not carry it (axe: aria-allowed-attr); the listbox's
      // visibility and aria-activedescendant tell assistive technology what is offered.
      textarea.setAttribute('aria-activedescendant', `${listbox.id}-${active}`);
    };

    const choose = (index) => {
      const query = typed();
      if (query === null || !choices[index]) return close();
      const end = textarea.selectionStart;
      textarea.setRangeText(`${choices[index].handle} `, end - query.length, end, 'end');
      close();
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    };

    const update = () => {
      const query = typed();
      if (query === null) return close();
      void load().then(() => {
        if (!people || typed() !== query) return;
        choices = people
          .filter((person) => person.handle.startsWith(query) || person.name.toLowerCase().includes(query))
          .slice(0, MAX_CHOICES);
        active = 0;
        if (choices.length) show();
        else close();
      });
    };

    const keydown = (event) => {
      if (listbox.hidden) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        active = (active + (event.key === 'ArrowDown' ? 1 : choices.length - 1)) % choices.length;
        show();
      } else if (event.key === 'Enter' || event.key === 'Tab') choose(active);
      else if (event.key === 'Escape') close();
      else return;
      event.preventDefault();
      event.stopPropagation(); // Escape closes the list, not the modal
    };

    textarea.addEventListener('input', update);
    textarea.addEventListener('keydown', keydown);
    textarea.addEventListener('blur', close);
    return () => listbox.remove();
  });
})();
