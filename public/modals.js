// Modal behaviour shared by every overlay: what was typed is never discarded without a word,
// and a dialog is named by its first heading. See docs/architecture.md, "Client code".

// What each form of an overlay held when it was last shown as saved: a WeakMap from the layer
// to a Map from the form (by id, or its position) to its serialized fields. A form shown again
// with errors (4xx) keeps the baseline of before, so what was typed still counts as unsaved.
const baselines = new WeakMap();
// Layers the person agreed to close without their changes.
const discarding = new WeakSet();
// Whether the response being inserted was a success (up:fragment:loaded precedes the insert).
let lastLoadSucceeded = true;

const trackedForms = (root) =>
  [...root.querySelectorAll('form')].filter(
    (form) =>
      (form.getAttribute('method') || 'get').toLowerCase() !== 'get' && !form.hasAttribute('data-no-unsaved-check'),
  );
const formKey = (form, index) => form.id || `#${index}`;
// Without the CSRF token, which a new session replaces in every form (public/recovery.js).
const serialize = (form) => {
  const params = up.Params.fromForm(form);
  params.delete(document.querySelector('meta[name="csrf-param"]')?.getAttribute('content') || '_csrf');
  return params.toQuery();
};

function rememberForms(layer, root) {
  if (layer.isRoot()) return;
  const forms = baselines.get(layer) ?? new Map();
  const all = trackedForms(layer.element);
  for (const form of trackedForms(root)) forms.set(formKey(form, all.indexOf(form)), serialize(form));
  baselines.set(layer, forms);
}

function hasUnsavedChanges(layer) {
  const forms = baselines.get(layer);
  if (!forms) return false;
  return trackedForms(layer.element).some((form, index) => {
    const baseline = forms.get(formKey(form, index));
    return baseline !== undefined && baseline !== serialize(form);
  });
}

function nameDialog(layer) {
  const heading = layer.element.querySelector('h1, h2, h3');
  if (!heading) return;
  if (!heading.id) heading.id = `dialog-title-${Math.random().toString(36).slice(2, 10)}`;
  // Unpoly gives the box the dialog role.
  (layer.element.querySelector(`up-${layer.mode}-box`) ?? layer.element).setAttribute('aria-labelledby', heading.id);
}

up.on('up:layer:opened', (event) => {
  const layer = event.layer;
  baselines.delete(layer);
  rememberForms(layer, layer.element);
  nameDialog(layer);
});

up.on('up:fragment:loaded', (event) => {
  lastLoadSucceeded = event.response.ok;
});

up.on('up:fragment:inserted', (event) => {
  const layer = up.layer.get(event.target);
  if (!layer || layer.isRoot() || !baselines.has(layer)) return;
  if (lastLoadSucceeded) rememberForms(layer, event.target);
  nameDialog(layer);
});

// Closing by backdrop, close button or Escape: ask first, in a modal over this one.
up.on('up:layer:dismiss', (event) => {
  const layer = event.layer;
  if (discarding.has(layer) || !hasUnsavedChanges(layer)) return;
  event.preventDefault();
  up.layer.open({
    mode: 'modal',
    size: 'small',
    content:
      '<div id="discard-changes"><h2 class="h5">Discard your changes?</h2>' +
      '<p>What you typed in this form is not saved yet.</p>' +
      '<div class="d-flex flex-wrap gap-2 justify-content-end">' +
      '<button type="button" class="btn btn-outline-secondary" id="keep-editing" up-dismiss>Keep editing</button>' +
      '<button type="button" class="btn btn-danger" id="discard-changes-confirm" up-accept>Discard changes</button>' +
      '</div></div>',
    onAccepted: () => {
      discarding.add(layer);
      layer.dismiss(event.value);
    },
  });
});

// Unpoly's first Escape in a field only blurs it, leaving focus on <body> outside the dialog.
// In an overlay, Escape closes it from anywhere (asking first when there are unsaved changes).
window.addEventListener(
  'keydown',
  (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const layer = up.layer.front;
    const field = document.activeElement;
    if (layer.isRoot() || !field?.matches('input, textarea, select') || !layer.element.contains(field)) return;
    event.preventDefault();
    event.stopPropagation();
    try {
      layer.dismiss(':key');
    } catch (error) {
      // up.Aborted: the close was prevented, the question above is open instead.
      if (!(error instanceof up.Aborted)) throw error;
    }
  },
  { capture: true },
);

// Focus returns to the element that opened an overlay. Unpoly does that while the opener is on
// the page; when the list beneath has reloaded meanwhile (a status change, the refresh after a
// save), the same link is found again by id or address, also after a reload that follows.
let returnFocusTo = null;

function openerOf(origin) {
  if (origin.isConnected) return origin;
  if (origin.id && document.getElementById(origin.id)) return document.getElementById(origin.id);
  const href = origin.getAttribute('href');
  return href ? [...document.querySelectorAll('a[href]')].find((link) => link.getAttribute('href') === href) : null;
}

// Lost: on <body>, or still inside an overlay that is closing (its elements leave after the
// closing animation, taking focus with them).
const focusIsLost = (active) =>
  !active || active === document.body || Boolean(active.closest('up-modal, up-drawer, up-popup, up-cover'));

function restoreFocus() {
  if (!returnFocusTo || !up.layer.front.isRoot() || !focusIsLost(document.activeElement)) return;
  openerOf(returnFocusTo)?.focus();
}

up.on('up:layer:opened', () => {
  returnFocusTo = null;
});
up.on('up:layer:accepted up:layer:dismissed', (event) => {
  if (!event.layer.origin || !up.layer.front.isRoot()) return;
  returnFocusTo = event.layer.origin;
  restoreFocus();
});
// After Unpoly's own focus handling of the swap, which runs once the fragment is inserted.
up.on('up:fragment:inserted', () => setTimeout(restoreFocus));
document.addEventListener('pointerdown', () => {
  returnFocusTo = null;
});
