// The citizen's phone page: follows the ticket live (websocket), falls back to polling,
// and rings and vibrates once when the number is called. No personal data is handled here.
(() => {
  const root = document.getElementById("tiket");
  if (!root) return;
  const $ = (sel) => root.querySelector(sel);
  const STATES = { waiting: "Menunggu", called: "Dipanggil", serving: "Dilayani", done: "Selesai",
                   no_show: "Tidak hadir", transferred: "Dialihkan" };
  let lastStatus = root.className.match(/ticket-(\w+)/)?.[1];
  let pollTimer = null;

  function ring() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35].forEach((t) => {
        const osc = ctx.createOscillator();
        osc.frequency.value = 880;
        osc.connect(ctx.destination);
        osc.start(ctx.currentTime + t);
        osc.stop(ctx.currentTime + t + 0.25);
      });
    } catch (e) { /* no audio: the vibration and the text remain */ }
    if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
  }

  function render(s) {
    $(".big-number").textContent = s.number;
    $("[data-service]").textContent = s.service;
    // Transferred: the slip in the citizen's hand shows another number than the board will.
    const moved = $("[data-transferred]");
    moved.hidden = !s.transferred_from;
    if (s.transferred_from) {
      [["[data-now]", s.number], ["[data-before]", s.transferred_from], ["[data-to]", s.service]]
        .forEach(([sel, text]) => { if ($(sel)) $(sel).textContent = text; });
    }
    $("[data-ahead]") && ($("[data-ahead]").textContent = s.ahead);
    $("[data-waiting]").hidden = s.status !== "waiting";
    $("[data-turn]").hidden = s.status !== "called";
    $("[data-counter]").textContent = s.counter ?? "";
    $("[data-state]").textContent = STATES[s.status] || s.status;
    if ($("[data-survey]")) $("[data-survey]").hidden = s.status !== "done";
    root.className = `ticket ticket-${s.status}`;
    if (s.status === "called" && lastStatus !== "called") ring();
    lastStatus = s.status;
  }

  async function refresh() {
    try {
      const res = await fetch(root.dataset.api, { headers: { Accept: "application/json" } });
      if (res.ok) render(await res.json());
    } catch (e) { /* offline for a moment: the next event or poll tries again */ }
  }

  function poll(ms) {
    clearInterval(pollTimer);
    pollTimer = setInterval(refresh, ms);
  }

  function connect(delay = 1000) {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}${root.dataset.ws}`);
    ws.onopen = () => { $("[data-connection]").textContent = ""; refresh(); poll(60000); delay = 1000; };
    ws.onmessage = (msg) => {
      const data = JSON.parse(msg.data);
      if (data.event && data.event.startsWith("ticket.")) refresh();
    };
    ws.onclose = () => {
      $("[data-connection]").textContent = "Koneksi terputus; memperbarui tiap 15 detik…";
      poll(15000);
      setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    };
  }
  connect();
})();
