// Paper sheet entry: after a digit 1-4 the cursor jumps to the next answer; Backspace in an
// empty answer goes back; the form is sent once. Without this file the page works the same,
// with Tab between fields (and the server's one-time nonce still refuses a second save).
(function () {
  "use strict";
  var form = document.querySelector("form[data-paper]");
  if (!form) return;
  var digits = Array.prototype.slice.call(form.querySelectorAll("input.digit"));
  digits.forEach(function (input, i) {
    input.addEventListener("input", function () {
      if (!/^[1-4]$/.test(input.value)) return;
      var next = digits[i + 1] || form.querySelector("[name=jenis_kelamin]");
      if (next) next.focus();
      if (next && next.select) next.select();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Backspace" && input.value === "" && i > 0) {
        event.preventDefault();
        digits[i - 1].focus();
        digits[i - 1].select();
      }
    });
  });
  // Choosing the tenant reloads the sheet with its questionnaire and only its services at this
  // mall (the server filters by ?instansi=); date and time band are kept. Without this file the
  // list is filtered once the sheet is saved or refused.
  var tenant = form.querySelector("select[name=instansi]");
  if (tenant) {
    tenant.addEventListener("change", function () {
      var params = new URLSearchParams();
      ["instansi", "tanggal", "waktu"].forEach(function (name) {
        var field = form.querySelector("[name=" + name + "]");
        if (field && field.value) params.set(name, field.value);
      });
      window.location.search = params.toString();
    });
  }
  var sent = false;
  form.addEventListener("submit", function (event) {
    if (sent) { event.preventDefault(); return; }
    sent = true;
  });
})();
