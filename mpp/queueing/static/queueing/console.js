// Officer console: reloads its panel when the mall's queue changes (websocket), or every 15 s
// when the websocket is down. Buttons are plain forms; this script only keeps the view fresh.
(() => {
  const panel = document.getElementById("panel");
  if (!panel) return;
  let timer = null;

  // What the officer chose or typed (an outcome, a reason, a service to transfer to) survives a
  // reload of the panel: a form of the same step for the same ticket gets the values back, so a
  // queue event never turns "Ditolak" into "Selesai" behind the officer's back.
  const formKey = (form) => `${form.getAttribute("action")} ${form.elements.ticket_id?.value ?? ""}`;
  const isInput = (el) => el.name && !["hidden", "submit", "button"].includes(el.type);

  function chosen() {
    const values = new Map();
    for (const form of panel.querySelectorAll("form")) {
      values.set(formKey(form), [...form.elements].filter(isInput).map((el) => [el.name, el.value]));
    }
    return values;
  }

  function restore(values) {
    for (const form of panel.querySelectorAll("form")) {
      for (const [name, value] of values.get(formKey(form)) || []) {
        const el = form.elements.namedItem(name);
        if (el && isInput(el) && [...(el.options || [{ value }])].some((o) => o.value === value)) {
          el.value = value;
        }
      }
    }
  }

  async function reload() {
    if (panel.contains(document.activeElement) && document.activeElement.tagName !== "BUTTON") return;
    try {
      const res = await fetch(panel.dataset.panel, { headers: { Accept: "text/html" } });
      if (!res.ok) return;
      const html = await res.text();
      const values = chosen();
      panel.innerHTML = html;
      restore(values);
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
