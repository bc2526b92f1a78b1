// Live updates (docs/architecture.md, "Live updates"): what others change appears without a
// reload. The server streams Server-Sent Events; each names the app events to emit (so the
// fragments with data-reload-on reload) and the ticket that changed (so an open modal of it
// reloads, or warns when its form is being edited).
//
// One stream per browser, not per tab (browsers open about six HTTP/1.1 connections per site):
// the tab holding the Web Lock is the leader, opens one EventSource per stream wanted by some tab
// (a project's, which carries the person's events too, or the person's own) and relays what
// arrives to the other tabs over a BroadcastChannel. When the leader closes, the lock passes to
// another tab, which reopens the streams from the last event id (Last-Event-ID catch-up).
/* global hasUnsavedChanges */

(() => {
  if (!window.EventSource) return;
  const sharing = 'BroadcastChannel' in window && navigator.locks;
  const tabId = Math.random().toString(36).slice(2);
  const channel = sharing ? new BroadcastChannel('hticket-live') : null;
  const ANNOUNCE_MS = 4_000;
  const FORGET_TAB_MS = 12_000;
  const RETRY_REFUSED_MS = 10_000;
  const PAUSED_AFTER_MS = 4_000;

  let wanted = null; // the stream this tab needs (data-live-stream), or null
  let wantedSince = 0;
  let connected = false;
  const lastIds = new Map(); // stream URL -> last event id seen by this tab

  // The leader's state.
  let leading = false;
  const wants = new Map(); // tab id -> { url, seen }
  const sources = new Map(); // stream URL -> { source, open }

  const post = (message) => channel?.postMessage(message);

  function wantedStream() {
    const main = up.layer.root.element.querySelector('main [data-live-stream]');
    return (main ?? document.querySelector('#navbar[data-live-stream]'))?.dataset.liveStream ?? null;
  }

  function announce() {
    const url = wantedStream();
    if (url !== wanted) {
      wanted = url;
      wantedSince = Date.now();
      setConnected(leading && sources.get(url)?.open);
    }
    if (leading) {
      wants.set(tabId, { url: wanted, seen: Date.now() });
      sync();
    } else post({ t: 'want', tab: tabId, url: wanted, lastId: lastIds.get(wanted) });
  }

  // --- the leader: one EventSource per wanted stream

  function sync() {
    const now = Date.now();
    for (const [tab, want] of wants) if (tab !== tabId && now - want.seen > FORGET_TAB_MS) wants.delete(tab);
    const needed = new Set([...wants.values()].map((want) => want.url).filter(Boolean));
    for (const [url, entry] of sources)
      if (!needed.has(url)) {
        entry.source.close();
        sources.delete(url);
      }
    for (const url of needed) if (!sources.has(url)) openStream(url);
  }

  function openStream(url) {
    const lastId = lastIds.get(url);
    const source = new EventSource(lastId ? `${url}?lastEventId=${encodeURIComponent(lastId)}` : url);
    const entry = { source, open: false };
    sources.set(url, entry);
    source.addEventListener('open', () => {
      entry.open = true;
      status(url, true);
    });
    source.addEventListener('message', (event) => deliver(url, event.lastEventId, event.data));
    source.addEventListener('error', () => {
      entry.open = false;
      status(url, false);
      // Refused (no access any more, signed out): the browser gives up; try again later.
      if (source.readyState === EventSource.CLOSED)
        setTimeout(() => {
          if (sources.get(url) !== entry) return;
          sources.delete(url);
          if (leading) sync();
        }, RETRY_REFUSED_MS);
    });
  }

  function deliver(url, id, data) {
    post({ t: 'event', url, id, data });
    received(url, id, data);
  }

  function status(url, open) {
    post({ t: 'status', url, open });
    if (url === wanted) setConnected(open);
  }

  function lead() {
    leading = true;
    wants.clear();
    wants.set(tabId, { url: wanted, seen: Date.now() });
    post({ t: 'who' });
    sync();
  }

  // --- every tab

  function received(url, id, data) {
    if (id) lastIds.set(url, id);
    if (url !== wanted) return;
    setConnected(true);
    try {
      apply(JSON.parse(data));
    } catch {
      // Not ours: ignore.
    }
  }

  function setConnected(open) {
    connected = Boolean(open);
    showPaused(!connected && Date.now() - wantedSince >= PAUSED_AFTER_MS);
  }

  function showPaused(paused) {
    const indicator = document.getElementById('live-status');
    if (!indicator) return;
    indicator.hidden = !paused || !wanted;
    indicator.dataset.stream = connected ? 'open' : 'down';
  }

  if (channel)
    channel.addEventListener('message', ({ data: message }) => {
      if (message.t === 'event' || message.t === 'status') {
        if (message.t === 'event') received(message.url, message.id, message.data);
        else if (message.url === wanted) setConnected(message.open);
        return;
      }
      if (!leading) {
        if (message.t === 'who') announce();
        return;
      }
      if (message.t === 'want') {
        const known = wants.get(message.tab)?.url === message.url;
        if (message.lastId && !lastIds.has(message.url)) lastIds.set(message.url, message.lastId);
        wants.set(message.tab, { url: message.url, seen: Date.now() });
        sync();
        if (!known && message.url)
          post({ t: 'status', url: message.url, open: Boolean(sources.get(message.url)?.open) });
      } else if (message.t === 'bye') {
        wants.delete(message.tab);
        sync();
      }
    });

  // Events of a burst (a move and its notifications) are applied once.
  const pendingEmits = new Set();
  const pendingTickets = new Map();
  let flushTimer = null;

  function apply(data) {
    for (const type of data.emit ?? []) pendingEmits.add(type);
    // A person's own change: their modal already shows what they saved.
    const me = document.querySelector('#navbar[data-live-me]')?.dataset.liveMe;
    if (data.ticketId && data.actorId !== me) pendingTickets.set(data.ticketId, data.by);
    clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, 50);
  }

  function flush() {
    const emits = [...pendingEmits];
    const tickets = new Map(pendingTickets);
    pendingEmits.clear();
    pendingTickets.clear();
    emits.forEach((type) => up.emit(type));
    for (const layer of up.layer.stack) {
      if (layer.isRoot()) continue;
      for (const [ticketId, by] of tickets) {
        const view = layer.element.querySelector(`[data-live-ticket="${CSS.escape(ticketId)}"]`);
        if (!view) continue;
        if (hasUnsavedChanges(layer)) warn(layer, view, by);
        else up.reload(view, { layer }).catch(ignoreAborted);
      }
    }
  }

  function ignoreAborted(error) {
    if (!(error instanceof up.Aborted)) throw error;
  }

  // A form being edited is never replaced: the modal says so and offers to reload. Saving over
  // the change still meets the server's stale-edit check (409).
  function warn(layer, view, by) {
    let note = view.querySelector('[data-live-stale]');
    if (!note) {
      note = document.createElement('div');
      note.className = 'alert alert-warning d-flex flex-wrap align-items-center gap-2 py-2';
      note.setAttribute('role', 'alert');
      note.dataset.liveStale = '';
      const text = document.createElement('span');
      const reload = document.createElement('button');
      reload.type = 'button';
      reload.className = 'btn btn-sm btn-outline-dark';
      reload.textContent = 'Reload?';
      reload.addEventListener('click', () => up.reload(view, { layer }).catch(ignoreAborted));
      note.append(text, reload);
      view.prepend(note);
    }
    note.querySelector('span').textContent = `Changed by ${by || 'someone'} just now.`;
  }

  up.on('up:fragment:inserted up:location:changed', () => {
    if (wantedStream() !== wanted) announce();
  });
  up.on('up:framework:booted', () => {
    announce();
    setInterval(() => {
      if (!leading) announce();
      else sync();
      setConnected(connected);
    }, ANNOUNCE_MS);
    setTimeout(() => setConnected(connected), PAUSED_AFTER_MS + 100);
  });
  window.addEventListener('pagehide', () => post({ t: 'bye', tab: tabId }));

  if (sharing) navigator.locks.request('hticket-live-leader', () => new Promise(() => lead()));
  else lead();
})();
