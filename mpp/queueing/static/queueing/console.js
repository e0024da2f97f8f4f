// Officer console: the panel stays live (staff.js, mppLivePanel) and keeps the officer's place;
// calls and steps are announced; keyboard shortcuts call the next number and recall; the current
// ticket's service timer runs; the transfer dialog has a search and no preselected service.
(() => {
  const panel = document.getElementById("panel");
  if (!panel || !window.mppLivePanel) return;
  const announce = document.getElementById("announce");
  const say = (text) => {
    if (!announce || !text) return;
    announce.textContent = "";
    setTimeout(() => { announce.textContent = text; }, 100);
  };

  // The step just taken (a redirect's message) is announced once the page has loaded; a
  // refusal is a role="alert" of its own.
  const flash = [...document.querySelectorAll("[data-message]:not([role=alert])")]
    .map((m) => m.textContent.trim());
  if (flash.length) say(flash.join(" "));
  // Focus the next step of the officer's round: Buka, Panggil berikutnya, Mulai, Selesai.
  const next = panel.querySelector("[data-next]");
  if (next && (document.activeElement === document.body || !document.activeElement)) {
    next.focus({ preventScroll: true });
  }

  function calledText(root) {
    const current = root.querySelector("[data-current]");
    const grid = root.querySelector("[data-counter]");
    if (!current || !grid) return "";
    return `${current.dataset.current} ${grid.dataset.callWords} ${grid.dataset.counter}`;
  }
  window.mppLivePanel(panel, {
    onUpdate(before, after) {
      const was = before.querySelector("[data-current]")?.dataset.current;
      const now = after.querySelector("[data-current]")?.dataset.current;
      if (now && now !== was) say(calledText(after));
      setupDialogs();
      tick();
    },
  });

  // --- keyboard shortcuts: shown on their buttons, never while typing in a field ----------
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    const t = event.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable], dialog")) return;
    if (document.querySelector("dialog[open]")) return;
    const button = panel.querySelector(`[data-shortcut="${event.key.toLowerCase()}"]`);
    if (!button) return;
    event.preventDefault();
    button.form.requestSubmit(button);
  });

  // --- service timer -----------------------------------------------------------------------
  function tick() {
    for (const el of panel.querySelectorAll("[data-since]")) {
      const since = Date.parse(el.dataset.since);
      if (Number.isNaN(since)) continue;
      const s = Math.max(0, Math.floor((Date.now() - since) / 1000));
      const mm = Math.floor(s / 60);
      el.textContent = `${mm}:${String(s % 60).padStart(2, "0")}`;
    }
  }
  tick();
  setInterval(tick, 1000);

  // --- the transfer dialog: search, a group per tenant, nothing chosen until the officer does --
  const normal = (text) => text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  function setupDialogs() {
    for (const opener of panel.querySelectorAll("[data-open-dialog]")) {
      opener.onclick = () => {
        const dialog = document.getElementById(opener.dataset.openDialog);
        dialog.showModal();
        dialog.querySelector("input[type=search]")?.focus();
        dialog.onclose = () => { if (opener.isConnected) opener.focus(); };
      };
    }
    for (const closer of panel.querySelectorAll("[data-close-dialog]")) {
      closer.onclick = () => closer.closest("dialog").close();
    }
    const search = panel.querySelector("[data-transfer-search]");
    if (!search) return;
    const form = search.form;
    const select = form.elements.service_id;
    const chosen = form.querySelector("[data-chosen]");
    const empty = chosen.textContent;
    const button = form.querySelector("button[type=submit]");
    const submitWords = button.textContent;
    const show = () => {
      const option = select.selectedOptions[0];
      if (option) {
        const label = `${option.textContent} (${option.parentElement.label})`;
        chosen.textContent = `${form.querySelector("h2").textContent}: ${label}`;
        button.textContent = `${submitWords}: ${option.textContent}`;
      } else {
        chosen.textContent = empty;
        button.textContent = submitWords;
      }
    };
    search.oninput = () => {
      const words = normal(search.value).split(/\s+/).filter(Boolean);
      for (const group of select.querySelectorAll("optgroup")) {
        let any = false;
        for (const option of group.querySelectorAll("option")) {
          const text = normal(`${group.label} ${option.textContent}`);
          option.hidden = !words.every((w) => text.includes(w));
          any ||= !option.hidden;
        }
        group.hidden = !any;
      }
    };
    search.onkeydown = (event) => {
      if (event.key === "ArrowDown") { event.preventDefault(); select.focus(); }
    };
    select.onchange = show;
    show();
  }
  setupDialogs();
})();
