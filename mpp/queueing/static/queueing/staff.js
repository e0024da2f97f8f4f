// Staff screens of the queue: a print button, confirmations of steps that cannot be undone,
// and panels kept live by the mall's websocket (window.mppLivePanel) without losing the
// person's place: focus, what they chose or typed, and a dialog they have open.
(() => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }

  // --- confirmations: <form data-confirm="question" data-confirm-yes="label"> ---------------
  let dialog = null;
  function confirmDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.id = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-title");
    dialog.setAttribute("aria-describedby", "confirm-text");
    dialog.innerHTML = '<h2 id="confirm-title"></h2><p id="confirm-text"></p>' +
      '<div class="actions"><button type="button" class="secondary" value="no"></button>' +
      '<button type="button" class="danger-strong" value="yes"></button></div>';
    document.body.append(dialog);
    return dialog;
  }
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.dataset.confirmed === "1") return;
    event.preventDefault();
    const d = confirmDialog();
    d.querySelector("#confirm-title").textContent = form.dataset.confirmTitle || form.dataset.confirm;
    // {choice} in the question: the option chosen in the form's select (where a counter goes).
    const choice = form.querySelector("select")?.selectedOptions[0]?.textContent.trim() ?? "";
    d.querySelector("#confirm-title").textContent = d.querySelector("#confirm-title").textContent.replace("{choice}", choice);
    d.querySelector("#confirm-text").textContent = form.dataset.confirm.replace("{choice}", choice);
    const [no, yes] = d.querySelectorAll("button");
    no.textContent = form.dataset.confirmNo || document.documentElement.dataset.cancelLabel || "Batal";
    yes.textContent = form.dataset.confirmYes || "OK";
    const submitter = event.submitter;
    const close = (ok) => {
      no.onclick = yes.onclick = null;
      d.close();
      if (ok) {
        form.dataset.confirmed = "1";
        if (form.elements.confirmed) form.elements.confirmed.value = "1";
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      } else if (submitter && submitter.isConnected) {
        submitter.focus();
      }
    };
    no.onclick = () => close(false);
    yes.onclick = () => close(true);
    d.oncancel = (e) => { e.preventDefault(); close(false); };
    d.showModal();
    no.focus(); // the safe answer is the default
  }, true);

  // --- live panels -------------------------------------------------------------------------
  const formKey = (form) => `${form.getAttribute("action")} ${form.elements.ticket_id?.value ?? ""}`;
  const isInput = (el) => el.name && !["hidden", "submit", "button"].includes(el.type);
  // An element's identity across reloads: its id, else its form, name and visible text.
  function keyOf(el) {
    if (!el || el === document.body) return null;
    if (el.id) return `#${el.id}`;
    const form = el.form || el.closest("form");
    return `${form ? formKey(form) : ""}|${el.tagName}|${el.name || ""}|${el.textContent.trim()}`;
  }
  const typing = (el) => el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
    (el.tagName === "INPUT" && !["button", "submit", "checkbox", "radio"].includes(el.type)));

  window.mppLivePanel = (panel, { onUpdate } = {}) => {
    let timer = null;
    let pending = false;

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
    function busy() {
      // Never under the person's hands: while they type or choose, or a dialog is open.
      return (panel.contains(document.activeElement) && typing(document.activeElement)) ||
        panel.querySelector("dialog[open]") || document.querySelector("#confirm-dialog[open]");
    }
    async function reload() {
      if (busy()) { pending = true; return; }
      pending = false;
      try {
        const res = await fetch(panel.dataset.panel, { headers: { Accept: "text/html" } });
        if (!res.ok) return;
        const html = await res.text();
        if (busy()) { pending = true; return; }
        const values = chosen();
        const hadFocus = panel.contains(document.activeElement);
        const focusKey = hadFocus ? keyOf(document.activeElement) : null;
        const before = panel.cloneNode(false);
        before.innerHTML = panel.innerHTML;
        panel.innerHTML = html;
        restore(values);
        if (hadFocus) {
          const same = [...panel.querySelectorAll("button, a, input, select, textarea, [tabindex]")]
            .find((el) => keyOf(el) === focusKey);
          const next = same || panel.querySelector("[data-next]") || panel.querySelector("h1, h2");
          if (next) {
            if (!next.matches("button, a, input, select, textarea")) next.tabIndex = -1;
            next.focus({ preventScroll: true });
          }
        }
        const news = document.getElementById(panel.dataset.news || "");
        if (news) {
          const known = new Set([...before.querySelectorAll("[data-alert]")].map((a) => a.dataset.alert));
          const fresh = [...panel.querySelectorAll("[data-alert]")].filter((a) => !known.has(a.dataset.alert));
          if (fresh.length) news.textContent = fresh.map((a) => a.textContent.trim()).join(" ");
        }
        if (onUpdate) onUpdate(before, panel);
      } catch (e) { /* the next event or poll */ }
    }
    panel.addEventListener("focusout", () => { if (pending) setTimeout(reload, 50); });
    panel.addEventListener("close", () => { if (pending) setTimeout(reload, 50); }, true);
    document.addEventListener("close", () => { if (pending) setTimeout(reload, 50); }, true);
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
    if (panel.dataset.ws) connect();
    return { reload };
  };

  for (const panel of document.querySelectorAll("[data-live-panel]")) window.mppLivePanel(panel);
})();
