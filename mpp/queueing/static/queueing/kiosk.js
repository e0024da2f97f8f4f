// The kiosk's services page. Each service form carries an idempotency key, so that a double tap
// gives one ticket. A page the browser restores from its back-forward cache (the Back button)
// still holds the previous citizen's key: it gets a fresh one, or the next citizen's choice
// would be refused by the server (the key names one request, docs/adr/0005).
(() => {
  const FORMS = "form[data-idempotent]";

  function freshKey() {
    // getRandomValues, not randomUUID: kiosks may reach the server over plain http on the LAN.
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function renewKeys() {
    const key = freshKey();
    document.querySelectorAll(FORMS).forEach((form) => {
      form.elements.idempotency_key.value = `${key}-${form.dataset.service}`;
    });
    delete document.body.dataset.sent;
  }

  window.addEventListener("pageshow", (event) => {
    if (event.persisted) renewKeys();
  });

  // One request per page: a second tap while the first is on its way (another priority, or
  // another service) would reuse the page's key for a different request.
  document.addEventListener("submit", (event) => {
    if (!event.target.matches(FORMS)) return;
    if (document.body.dataset.sent) {
      event.preventDefault();
      return;
    }
    document.body.dataset.sent = "1";
  });
})();
