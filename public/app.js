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

// A deleted project's own pages (its board) can no longer be shown: go to the dashboard.
// The server sends { type: 'project:deleted', projectId } in X-Up-Events.
up.on('project:deleted', (event) => {
  const root = up.layer.root.location || window.location.pathname;
  if (new URL(root, window.location.href).pathname.startsWith(`/projects/${event.projectId}`)) {
    up.navigate({ url: '/', layer: 'root' });
  }
});

// Unpoly drops X-Up-Events when the same response accepts the overlay (X-Up-Accept-Layer):
// the layer is closed before they would be emitted. Emit them once it has closed, so that
// the page beneath hears e.g. projects:changed and reloads its lists.
up.on('up:layer:accepted', (event) => {
  const plans = (event.response && event.response.eventPlans) || [];
  plans.forEach((plan) => up.emit(plan));
});
