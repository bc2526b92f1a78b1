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

// Unpoly drops the X-Up-Events of a response that also closes the modal (X-Up-Accept-Layer):
// the layer is gone before it would emit them. Emit them once the layer has closed, so that
// the page beneath (data-reload-on) refreshes after a successful modal submit.
up.on('up:layer:accepted up:layer:dismissed', (event) => {
  const plans = (event.response && event.response.eventPlans) || [];
  plans.forEach((plan) => up.emit(plan));
});
