// The officers' inbox: reloads its list on every conversation event, and rings and shows a
// count in the tab's title when a new conversation arrives. A ping every 30 s keeps the
// officer counted as online (otherwise visitors get the catalogue's automatic answer).
(() => {
  const root = document.getElementById("kotak-obrolan");
  if (!root) return;
  const title = document.title;
  let unseen = 0;
  let delay = 1000;
  let pinger = null;

  function ring() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const osc = ctx.createOscillator();
      osc.frequency.value = 660;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.2);
    } catch (e) { /* no audio: the title still counts */ }
  }

  function badge() {
    document.title = unseen ? `(${unseen}) ${title}` : title;
    root.dataset.unseen = unseen;
  }

  async function refresh() {
    try {
      const res = await fetch(root.dataset.list, { headers: { Accept: "text/html" } });
      if (res.ok) root.querySelector("[data-inbox]").innerHTML = await res.text();  // server-escaped
    } catch (e) { /* the next event or reconnect tries again */ }
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) { unseen = 0; badge(); }
  });

  function connect() {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}${root.dataset.ws}`);
    ws.onopen = () => {
      root.querySelector("[data-connection]").textContent = "";
      root.dataset.live = "1";
      delay = 1000;
      refresh();
      pinger = setInterval(() => ws.send(JSON.stringify({ type: "ping" })), 30000);
    };
    ws.onmessage = (msg) => {
      const data = JSON.parse(msg.data);
      if (data.event === "conversation.started") {
        unseen += 1;
        badge();
        ring();
      }
      if (data.event) refresh();
    };
    ws.onclose = (ev) => {
      clearInterval(pinger);
      root.dataset.live = "";
      if (ev.code === 4403) return;
      root.querySelector("[data-connection]").textContent = "Koneksi terputus; menyambung lagi…";
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
