// Officer console: reloads its panel when the mall's queue changes (websocket), or every 15 s
// when the websocket is down. Buttons are plain forms; this script only keeps the view fresh.
(() => {
  const panel = document.getElementById("panel");
  if (!panel) return;
  let timer = null;
  async function reload() {
    if (panel.contains(document.activeElement) && document.activeElement.tagName !== "BUTTON") return;
    try {
      const res = await fetch(panel.dataset.panel, { headers: { Accept: "text/html" } });
      if (res.ok) panel.innerHTML = await res.text();
    } catch (e) { /* next event or poll */ }
  }
  function connect(delay = 1000) {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}${panel.dataset.ws}`);
    ws.onopen = () => { clearInterval(timer); timer = null; delay = 1000; };
    ws.onmessage = () => { clearTimeout(ws.debounce); ws.debounce = setTimeout(reload, 300); };
    ws.onclose = () => {
      if (!timer) timer = setInterval(reload, 15000);
      setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    };
  }
  connect();
})();
