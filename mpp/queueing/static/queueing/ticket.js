// The citizen's phone page: follows the ticket live (websocket), falls back to polling, and
// rings and vibrates once when the number is called. No personal data is handled here.
//
// Browsers (Chrome on Android first) play sound and vibrate only after a tap on the page, so the
// page asks for that tap once ("Aktifkan suara & getar"), remembers the choice on the device,
// re-arms on the first touch of a later visit, keeps the screen awake while the number waits
// (Screen Wake Lock), and says plainly what the browser still refuses. Every text comes from
// the template (data-t-*), translated.
(() => {
  const root = document.getElementById("tiket");
  if (!root) return;
  const $ = (sel) => root.querySelector(sel);
  const t = root.dataset;
  const STATES = Object.fromEntries(t.states.split("|").map((pair) => pair.split("=")));
  const LIVE = ["waiting", "called", "serving"];  // the number can still be called
  const REMEMBER = "mpp.ticket.alerts";
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
  let lastStatus = root.className.match(/ticket-(\w+)/)?.[1];
  let pollTimer = null;
  let audio = null;
  let wakeLock = null;

  // --- sound, vibration, screen ------------------------------------------------------------
  function beep(ctx, at, length) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.4;
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + at);
    osc.stop(ctx.currentTime + at + length);
  }

  function note(text) { $("[data-alert-note]").textContent = text; }

  async function enableAlerts(fromButton) {
    const said = [];
    let sound = false;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state !== "running") await audio.resume();
      sound = audio.state === "running";
      if (sound && fromButton) beep(audio, 0, 0.12);  // the citizen hears what a call sounds like
    } catch (e) { sound = false; }
    // vibrate() answers false when the browser refuses (no tap yet, or turned off).
    const vibrates = typeof navigator.vibrate === "function" && navigator.vibrate(fromButton ? 120 : 0);
    if (sound && vibrates) said.push(t.tAlertOn);
    else if (sound) said.push(t.tAlertNoVibrate);
    else if (fromButton) said.push(t.tAlertNoSound);
    else said.push(t.tAlertAgain);
    if (sound || vibrates) localStorage.setItem(REMEMBER, "1");
    said.push((await keepAwake()) ? t.tAwake : t.tNoAwake);
    note(said.join(" "));
    $("[data-alert-enable]").hidden = sound;
  }

  // One request at a time: two taps in a row must not take two locks and release one.
  function keepAwake() {
    if (!LIVE.includes(lastStatus)) return Promise.resolve(false);
    if (!wakeLock) {
      const request = navigator.wakeLock
        ? navigator.wakeLock.request("screen")
        : Promise.reject(new Error("no Screen Wake Lock API"));  // older browsers
      wakeLock = request.then((lock) => {
        // Released by the browser when the page is hidden: taken again on return (below).
        lock.addEventListener("release", () => { wakeLock = null; });
        return lock;
      }).catch(() => { wakeLock = null; return null; });  // refused (battery saver)
    }
    return wakeLock.then((lock) => lock !== null);
  }

  function releaseAwake() {
    if (wakeLock) wakeLock.then((lock) => lock && lock.release());
  }

  function ring() {
    if (audio && audio.state === "running") { beep(audio, 0, 0.25); beep(audio, 0.35, 0.25); beep(audio, 0.7, 0.25); }
    if (typeof navigator.vibrate === "function") navigator.vibrate([300, 150, 300, 150, 300]);
  }

  // --- the ticket ---------------------------------------------------------------------------
  function render(s) {
    const number = s.number;
    $(".big-number").textContent = number;
    $("[data-service]").textContent = s.service;
    // Transferred: the slip in the citizen's hand shows another number than the board will.
    const moved = $("[data-transferred]");
    moved.hidden = !s.transferred_from;
    if (s.transferred_from) {
      [["[data-now]", number], ["[data-before]", s.transferred_from], ["[data-to]", s.service]]
        .forEach(([sel, text]) => { if ($(sel)) $(sel).textContent = text; });
    }
    if ($("[data-ahead]")) $("[data-ahead]").textContent = s.ahead;
    $("[data-waiting]").hidden = s.status !== "waiting";
    const label = s.estimate && s.estimate.label;
    $("[data-estimate]").hidden = !label;
    $("[data-estimate-label]").textContent = label || "";
    $("[data-turn]").hidden = s.status !== "called";
    $("[data-counter]").textContent = s.counter ?? "";
    if ($("[data-cancel]")) $("[data-cancel]").hidden = !s.can_cancel;
    if ($("[data-survey]")) $("[data-survey]").hidden = s.status !== "done";
    document.querySelectorAll("[data-tips]").forEach((el) => {
      el.hidden = !el.dataset.tips.split(" ").includes(s.status);
    });
    root.className = `ticket ticket-${s.status}`;
    const state = STATES[s.status] || s.status;
    const announce = $("[data-announce]");
    const values = { number, counter: s.counter ?? "", state };
    if (s.status === "called" && lastStatus !== "called") {
      // The call interrupts whatever a screen reader is reading (assertive region).
      announce.textContent = fill(t.tCalled, values);
      ring();
    } else if (s.status !== lastStatus) {
      announce.textContent = "";
    }
    if (s.status !== lastStatus) $("[data-state]").textContent = fill(t.tState, values);
    lastStatus = s.status;
    $("[data-alert]").hidden = !LIVE.includes(s.status);
    if (!LIVE.includes(s.status)) releaseAwake();
  }

  async function refresh() {
    try {
      const res = await fetch(t.api, { headers: { Accept: "application/json" } });
      if (res.ok) render(await res.json());
    } catch (e) { /* offline for a moment: the next event or poll tries again */ }
  }

  function poll(ms) {
    clearInterval(pollTimer);
    pollTimer = setInterval(refresh, ms);
  }

  function connect(delay = 1000) {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}${t.ws}`);
    ws.onopen = () => { $("[data-connection]").textContent = ""; refresh(); poll(60000); delay = 1000; };
    ws.onmessage = (msg) => {
      const data = JSON.parse(msg.data);
      if (data.event === "ticket.recalled" && data.payload
          && data.payload.number === $(".big-number").textContent && lastStatus === "called") {
        // Called again: the status stays "called", so only the event tells; ring and say it.
        $("[data-announce]").textContent = fill(t.tCalledAgain, {
          number: data.payload.number, counter: data.payload.counter ?? "" });
        ring();
      }
      if (data.event && data.event.startsWith("ticket.")) refresh();
    };
    ws.onclose = () => {
      $("[data-connection]").textContent = t.tLost;
      poll(15000);
      setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    };
  }

  $("[data-alert]").hidden = !LIVE.includes(lastStatus);
  $("[data-alert-enable]").addEventListener("click", () => enableAlerts(true));
  if (localStorage.getItem(REMEMBER) && LIVE.includes(lastStatus)) {
    // Chosen on an earlier visit: try at once (the browser may allow it on a page it knows),
    // and re-arm on the first touch anywhere, without asking again.
    // (A touch grants the browser's "user activation" when the finger lifts: pointerup.)
    enableAlerts(false);
    const rearm = () => {
      ["pointerup", "keydown"].forEach((type) => document.removeEventListener(type, rearm));
      enableAlerts(false);
    };
    ["pointerup", "keydown"].forEach((type) => document.addEventListener(type, rearm));
  } else {
    keepAwake();  // needs no tap, only a visible page
  }
  // The browser drops the wake lock when the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") keepAwake();
  });
  connect();
})();
