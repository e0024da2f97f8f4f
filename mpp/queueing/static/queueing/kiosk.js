// The kiosk's screen (queueing/_kiosk_base.html). Every text comes from the page, translated by
// the server, so the script speaks the page's language.
//
// 1. Back to the first screen when nobody touches it: after `data-idle-after` seconds a dialog
//    counts down `data-idle-countdown` seconds, and any touch stops it. No blind timed reload
//    (issue 18, item 24): the person sees the countdown and a button to stay.
// 2. The search on a tenant's services filters the list as the person types, with one short
//    status line ("3 layanan cocok"), not the whole list read out again; without the script the
//    form asks the server.
// 3. The slip: the 58 mm roll's page is as long as the slip, measured here (@page size).
(() => {
  const dialog = document.querySelector("dialog[data-idle]");
  if (dialog) {
    const after = Number(dialog.dataset.idleAfter) * 1000;
    const countdown = Number(dialog.dataset.idleCountdown);
    const count = dialog.querySelector("[data-idle-count]");
    let idleTimer = 0;
    let tickTimer = 0;

    const goHome = () => window.location.replace(dialog.dataset.idleHome);
    const startCountdown = () => {
      let left = countdown;
      count.textContent = String(left);
      dialog.showModal();
      tickTimer = window.setInterval(() => {
        left -= 1;
        count.textContent = String(Math.max(left, 0));
        if (left <= 0) {
          window.clearInterval(tickTimer);
          goHome();
        }
      }, 1000);
    };
    const touched = () => {
      window.clearTimeout(idleTimer);
      window.clearInterval(tickTimer);
      if (dialog.open) dialog.close();
      idleTimer = window.setTimeout(startCountdown, after);
    };
    for (const type of ["pointerdown", "keydown", "input", "wheel"]) {
      document.addEventListener(type, touched, { capture: true, passive: true });
    }
    // Escape closes a modal dialog without a keydown reaching the document in every browser.
    dialog.addEventListener("cancel", touched);
    dialog.querySelector("[data-idle-stay]").addEventListener("click", touched);
    touched();
  }

  const search = document.querySelector("form[data-kiosk-search]");
  const status = document.querySelector("[data-search-status]");
  if (search && status) {
    const input = search.querySelector("input[type=search]");
    const items = Array.from(document.querySelectorAll(".services li[data-search]"));
    const fold = (text) =>
      text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").trim();
    let announce = 0;
    input.addEventListener("input", () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const item of items) {
        const text = fold(item.dataset.search);
        const match = words.every((w) => text.includes(w));
        item.hidden = !match;
        shown += match ? 1 : 0;
      }
      // One line after the person pauses, not one per letter.
      window.clearTimeout(announce);
      announce = window.setTimeout(() => {
        if (!words.length) status.textContent = "";
        else if (shown) status.textContent = `${shown} ${status.dataset.templateSome}`;
        else status.textContent = status.dataset.templateNone;
      }, 600);
    });
  }

  const slip = document.getElementById("slip");
  if (slip) {
    const fitPage = () => {
      // px to mm at CSS's 96 px per inch; 2 mm to spare so the roll never starts a second page.
      const mm = Math.ceil((slip.getBoundingClientRect().height * 25.4) / 96) + 2;
      const sheet = Array.from(document.styleSheets).find((s) => s.href && s.href.includes("kiosk"));
      if (sheet) sheet.insertRule(`@page { size: 58mm ${mm}mm; margin: 0 }`, sheet.cssRules.length);
    };
    fitPage();
    window.addEventListener("load", fitPage);
    window.addEventListener("beforeprint", fitPage);
  }
})();
