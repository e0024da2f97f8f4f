// Display board: load the snapshot, apply sequenced events, reload the snapshot on a gap or a
// reconnect, poll when the websocket is down, and speak every call in Indonesian after a chime.
// Announcements queue and never cut each other off; a reload never repeats an old call, because
// only events newer than the snapshot's sequence are spoken.
//
// Sound on a wall TV without mouse (docs/tv-board.md): ?suara=1 in the address (or one tap or
// key press) turns it on and the device remembers it (localStorage); a browser started with
// --autoplay-policy=no-user-gesture-required then speaks from the first call without a tap. While
// the calls are not spoken, a banner across the footer says so. The spoken call stays Indonesian
// (the hall is Indonesian); the visible texts follow the page's language (data-t-*).
(() => {
  const body = document.body;
  const el = (sel) => document.querySelector(sel);
  const t = body.dataset;  // the page's translated texts: data-t-connected → t.tConnected
  let seq = -1;
  let lastCallAt = null;   // newest call time seen, for announcing calls found by polling
  let polling = null;
  let soundOn = false;
  let audio = null;        // one AudioContext for the chimes, started once sound is allowed
  const SOUND_KEY = "mpp.board.sound";
  const speech = [];       // queued texts
  const FEW_COUNTERS = 8;  // a Mini MPP's: the map gets the full height beside them
  let speaking = false;

  function esc(text) {
    const d = document.createElement("div");
    d.textContent = text == null ? "" : String(text);
    return d.innerHTML;
  }

  // A list of cells fills its box, which the page's grid sizes (never its content): the number of
  // columns that gives the largest cells of the list's shape (data-fit: width / height), each at
  // most data-fit-max vmin tall, so that a Mini MPP's two counters do not outshine the latest call
  // and 60 counters still fit. The texts in a cell are sized by the cell (board.css).
  function fit(list) {
    const n = list.children.length;
    if (!n) return;
    const aspect = Number(list.dataset.fit) || 1;
    const cap = (Number(list.dataset.fitMax) || 100) * Math.min(innerWidth, innerHeight) / 100;
    const style = getComputedStyle(list);
    const gapX = parseFloat(style.columnGap) || 0;
    const gapY = parseFloat(style.rowGap) || 0;
    const box = list.getBoundingClientRect();
    let best = { size: -1 };
    for (let cols = 1; cols <= n; cols++) {
      const rows = Math.ceil(n / cols);
      const width = (box.width - gapX * (cols - 1)) / cols;
      const height = Math.min(cap, (box.height - gapY * (rows - 1)) / rows);
      const size = Math.min(width / aspect, height);
      if (size >= best.size) best = { size, cols, rows, height };  // a tie: fewer rows
    }
    list.style.setProperty("--cols", best.cols);
    list.style.setProperty("--rows", best.rows);
    list.style.setProperty("--cell-h", `${Math.max(Math.floor(best.height), 0)}px`);
  }

  function fitAll() {
    document.querySelectorAll("[data-fit]").forEach(fit);
  }

  function render(snap) {
    // A closed or paused counter says so in words, not only by a dimmer colour.
    const state = { closed: t.tClosed, paused: t.tPaused };
    el("[data-counters]").innerHTML = snap.counters.map((c) =>
      `<li class="counter ${esc(c.status)}"><span class="no">${esc(c.number)}</span>` +
      `<span class="cur">${esc(c.current || state[c.status] || "–")}</span>` +
      `<span class="who">${esc(c.tenant || t.tFrontDesk)}</span></li>`
    ).join("");
    el("main").classList.toggle("few-counters", snap.counters.length <= FEW_COUNTERS);
    el("[data-calls]").innerHTML = snap.last_calls.length ? snap.last_calls.map((c, i) =>
      `<div class="call${i === 0 ? " latest" : ""}"><span class="num">${esc(c.number)}</span>` +
      `<span class="to">${esc(t.tCounter)} ${esc(c.counter)}</span></div>`
    ).join("") : '<div class="call latest empty"><span class="num">–</span></div>';
    el("[data-waiting]").innerHTML = snap.waiting.filter((w) => w.count > 0).map((w) =>
      `<li><b>${esc(w.letter)}</b><span class="name">${esc(w.name)}</span>` +
      `<span class="count">${esc(w.count)}</span></li>`
    ).join("");
    fitAll();
    // The floor map marks the counters serving now, and the latest call's counter most.
    const serving = new Set(snap.counters.filter((c) => c.current).map((c) => String(c.number)));
    const latest = snap.last_calls.length ? String(snap.last_calls[0].counter) : null;
    document.querySelectorAll("[data-map] [data-counter]").forEach((desk) => {
      desk.classList.toggle("serving", serving.has(desk.dataset.counter));
      desk.classList.toggle("latest", desk.dataset.counter === latest);
    });
  }

  async function loadSnapshot({ announceNew = false } = {}) {
    const res = await fetch(body.dataset.snapshot, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(`snapshot ${res.status}`);
    const snap = await res.json();
    if (announceNew && lastCallAt) {
      snap.last_calls.filter((c) => c.called_at > lastCallAt).reverse().forEach((c) => say(c.text));
    }
    if (snap.last_calls.length) lastCallAt = snap.last_calls[0].called_at;
    seq = snap.seq;
    render(snap);
  }

  let refreshTimer = null;
  function refreshSoon() {  // waiting counts and counters: one snapshot for a burst of events
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => loadSnapshot().catch(() => {}), 400);
  }

  function apply(msg) {
    if (msg.seq <= seq) return;                       // already in the snapshot
    if (msg.seq > seq + 1) { loadSnapshot().catch(() => {}); return; }  // a gap: start again
    seq = msg.seq;
    if ((msg.event === "ticket.called" || msg.event === "ticket.recalled") && msg.payload.say) {
      say(msg.payload.say);
    }
    refreshSoon();
  }

  function chime() {
    return new Promise((resolve) => {
      try {
        const ctx = audio;
        [659, 523].forEach((f, i) => {
          const osc = ctx.createOscillator();
          const gain = ctx.createGain();
          gain.gain.value = 0.2;
          osc.frequency.value = f;
          osc.connect(gain).connect(ctx.destination);
          osc.start(ctx.currentTime + i * 0.45);
          osc.stop(ctx.currentTime + i * 0.45 + 0.4);
        });
        setTimeout(resolve, 1000);
      } catch (e) { resolve(); }
    });
  }

  function say(text) {
    if (!text) return;
    speech.push(text);
    body.dataset.pending = String(speech.length);
    next();
  }

  async function next() {
    if (speaking || !speech.length) return;
    speaking = true;
    const text = speech.shift();
    body.dataset.pending = String(speech.length);
    body.dataset.lastSpoken = text;
    if (soundOn && "speechSynthesis" in window) {
      body.dataset.lastSpokenAloud = text;
      await chime();
      await new Promise((resolve) => {
        const u = new SpeechSynthesisUtterance(text);
        u.lang = "id-ID";
        u.rate = 0.9;
        const voice = speechSynthesis.getVoices().find((v) => v.lang.startsWith("id"));
        if (voice) u.voice = voice;
        u.onend = u.onerror = resolve;
        speechSynthesis.speak(u);   // never cancel(): calls must not cut each other off
        setTimeout(resolve, 15000); // a stuck engine must not block the queue
      });
    }
    speaking = false;
    next();
  }

  function link(text, ok) {
    el("[data-link]").textContent = text;
    body.classList.toggle("offline", !ok);
  }

  function startPolling() {
    if (polling) return;
    polling = setInterval(() => loadSnapshot({ announceNew: true }).catch(() => {}), 5000);
  }

  function connect(delay = 1000) {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}${body.dataset.ws}`);
    ws.onopen = () => {
      clearInterval(polling);
      polling = null;
      // "Terhubung" once the board shows what happened while it was away, not before.
      loadSnapshot({ announceNew: true }).catch(() => {}).finally(() => link(t.tConnected, true));
      delay = 1000;
    };
    ws.onmessage = (m) => apply(JSON.parse(m.data));
    ws.onclose = () => {
      link(t.tOffline, false);
      startPolling();
      setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    };
  }

  // --- sound: asked for by the address or once on this device, allowed by the browser ---------
  function showSound(state) {  // "on", "off" (not asked for) or "blocked" (asked, not allowed)
    body.dataset.sound = state;
    body.classList.toggle("sound-off", state !== "on");
    el("[data-sound-banner]").hidden = state === "on";
    if (state === "blocked") el("[data-sound-text]").textContent = t.tSoundBlocked;
  }

  function enableSound({ gesture }) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    } catch (e) {
      showSound("blocked");
      return;
    }
    if (gesture) audio.resume();
    // Without a gesture the context starts "suspended" unless the browser's autoplay policy
    // allows it (kiosk flag): then the board stays silent and says so.
    if (gesture || audio.state === "running") {
      soundOn = true;
      try { localStorage.setItem(SOUND_KEY, "on"); } catch (e) { /* private mode: this visit only */ }
      if ("speechSynthesis" in window) speechSynthesis.getVoices();
      showSound("on");
    } else {
      showSound("blocked");
    }
  }

  function soundWanted() {
    const asked = new URLSearchParams(location.search).get("suara");
    try {
      if (asked === "1" || asked === "0") localStorage.setItem(SOUND_KEY, asked === "1" ? "on" : "off");
      return localStorage.getItem(SOUND_KEY) === "on";
    } catch (e) {
      return asked === "1";
    }
  }

  // A TV's remote sends keys; a touch screen taps: either is the gesture a browser waits for.
  const gesture = () => { if (!soundOn) enableSound({ gesture: true }); };
  addEventListener("keydown", gesture);
  addEventListener("pointerdown", gesture);
  if (soundWanted()) enableSound({ gesture: false }); else showSound("off");

  // The screen stays on while the board is shown, where the browser offers it (a secure
  // context); the TV's own sleep timer is switched off at installation (docs/tv-board.md).
  async function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      await navigator.wakeLock.request("screen");
      body.dataset.wakeLock = "on";
    } catch (e) {
      body.dataset.wakeLock = "refused";
    }
  }
  document.addEventListener("visibilitychange", keepAwake);
  keepAwake();
  // The mall's wall time (data-tz, its region's zone), whatever zone the TV is set to.
  const hhmm = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  let clockFormat;
  try {
    clockFormat = new Intl.DateTimeFormat(t.lang, { ...hhmm, timeZone: body.dataset.tz });
  } catch (e) {  // a zone this browser does not know: its own time rather than no clock
    clockFormat = new Intl.DateTimeFormat(t.lang, hhmm);
  }
  const tick = () => { el("[data-clock]").textContent = clockFormat.format(new Date()); };
  tick();
  setInterval(tick, 1000);
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver((entries) => entries.forEach((e) => fit(e.target)));
    document.querySelectorAll("[data-fit]").forEach((list) => observer.observe(list));
  } else {
    addEventListener("resize", fitAll);
  }
  loadSnapshot().catch(() => startPolling()).finally(() => connect());
})();
