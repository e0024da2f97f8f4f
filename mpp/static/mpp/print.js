// Printing without inline script (the site's Content-Security-Policy runs scripts from our own
// static files only, docs/adr/0013): a <button data-print> opens the print dialogue, and a page
// whose <body> has data-print-on-load opens it once, when the page has loaded (the kiosk slip).
(() => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  if (document.body.hasAttribute("data-print-on-load")) {
    window.addEventListener("load", () => window.print());
  }
})();
