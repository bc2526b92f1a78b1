// Unpoly compilers only: the server renders everything, these add small behaviours.

// Reload an element when the server announces a change (X-Up-Events), e.g.
// <div id="tickets" data-reload-on="tickets:changed">. Modals emit these on success.
up.compiler('[data-reload-on]', (element) => {
  const unbinds = element.dataset.reloadOn
    .split(/\s+/)
    .filter(Boolean)
    .map((type) => up.on(type, () => up.reload(element)));
  return () => unbinds.forEach((unbind) => unbind());
});

// Initials avatars get their colour from data-color (inline styles are blocked by the CSP).
up.compiler('.avatar-initials[data-color]', (element) => {
  element.style.backgroundColor = element.dataset.color;
});

// "Copy" buttons: <button data-copy-from="#invitation-link"> copies that input's value.
up.compiler('[data-copy-from]', (button) => {
  const copy = () => {
    const source = document.querySelector(button.dataset.copyFrom);
    if (!source) return;
    source.select();
    const done = () => { button.textContent = 'Copied'; };
    if (navigator.clipboard) navigator.clipboard.writeText(source.value).then(done, () => document.execCommand('copy') && done());
    else if (document.execCommand('copy')) done();
  };
  button.addEventListener('click', copy);
  return () => button.removeEventListener('click', copy);
});

// A response that accepts its overlay (X-Up-Accept-Layer) closes the layer before Unpoly gets to
// emit that response's X-Up-Events, so they would be lost: emit them once the layer is accepted,
// so that the [data-reload-on] lists beneath refresh.
up.on('up:layer:accepted', (event) => {
  const header = event.response && event.response.header('X-Up-Events');
  if (!header) return;
  JSON.parse(header).forEach(({ type, ...properties }) => up.emit(type, properties));
});
