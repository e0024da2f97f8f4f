// The readiness page: when the address's fragment names an item's form (#butir-<id>), open its
// folded <details> (Chromium does it by itself, not every browser does) and bring the whole of it
// into view, its summary on top. The page works without this file: the summaries open by a tap,
// and a form with errors or just saved comes back open.
(function () {
  "use strict";
  function reveal() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (!details) return;
    details.open = true;
    details.scrollIntoView({ block: "start" });
  }
  reveal();
  window.addEventListener("hashchange", reveal);
})();
