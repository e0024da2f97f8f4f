// Forms that take a queue number (the kiosk, a service's page, a Metapers booth) carry an
// idempotency key, so that a double tap gives one ticket. The key names one request
// (docs/adr/0005), so a page must never send a key it sent before:
// - a page restored from the back-forward cache (the Back button) still holds the previous
//   citizen's key;
// - a page shown from the Metapers service worker's cache holds the key of the day it was
//   cached.
// So the page makes its own key when it is shown, and sends one request. Without JavaScript
// the server's key stands (the server refuses a key reused for another request or day).
// A key is only ever its sender's: the server files it under the signed-in user (a kiosk
// device) or this browser's CSRF cookie, so a key read off this page answers no one else.
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
      const suffix = form.dataset.service ? `-${form.dataset.service}` : "";
      form.elements.idempotency_key.value = `${key}${suffix}`;
    });
    delete document.body.dataset.sent;
  }

  // The script runs (deferred) on every load, a cached copy's too; a page restored from the
  // back-forward cache runs nothing again, but fires pageshow with `persisted`.
  renewKeys();
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
