// The registration form: once both NIKs and birth dates are filled, ask the server's
// eligibility check (POST /api/v1/nikah/eligibility, which stores nothing) and say what it
// found, by who, in the live region under the bride's section. Progressive enhancement: the
// form works and the server checks everything again without this file. Server text is put in
// with textContent only, never as HTML.
(function () {
  "use strict";
  var form = document.querySelector("form[data-registration-form]");
  if (!form || !window.fetch) return;
  var box = form.querySelector("[data-eligibility-result]");
  var inputs = {};
  ["groom-nik", "groom-birth", "bride-nik", "bride-birth"].forEach(function (key) {
    inputs[key] = form.querySelector('[data-eligibility="' + key + '"]');
  });
  if (!box || !inputs["groom-nik"] || !inputs["bride-nik"]) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var asked = 0;
  var timer = null;
  var last = "";

  function digits(input) {
    return input.value.replace(/\s+/g, "");
  }

  function body() {
    return {
      akad_date: form.dataset.akadDate,
      registered_on: form.dataset.today,
      groom: { nik: digits(inputs["groom-nik"]), birth_date: inputs["groom-birth"].value },
      bride: { nik: digits(inputs["bride-nik"]), birth_date: inputs["bride-birth"].value },
    };
  }

  function filled(complete) {
    var b = body();
    if (!b.akad_date || !b.groom.birth_date || !b.bride.birth_date) return false;
    if (!b.groom.nik || !b.bride.nik) return false;
    // While typing, wait for 16 digits; on leaving a field, check what is there.
    return complete || (b.groom.nik.length >= 16 && b.bride.nik.length >= 16);
  }

  function clear() {
    while (box.firstChild) box.removeChild(box.firstChild);
    box.className = "pub-eligibility";
  }

  function paragraph(text, strong) {
    var p = document.createElement("p");
    if (strong) {
      var b = document.createElement("strong");
      b.textContent = text;
      p.appendChild(b);
    } else {
      p.textContent = text;
    }
    return p;
  }

  function list(items) {
    var ul = document.createElement("ul");
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      ul.appendChild(li);
    });
    return ul;
  }

  function whoLabel(who) {
    if (who === "groom") return form.dataset.whoGroom;
    if (who === "bride") return form.dataset.whoBride;
    return "";
  }

  function show(result) {
    clear();
    var problems = result.problems || [];
    var needs = (result.needs || []).map(function (code) {
      return form.getAttribute("data-need-" + code) || code;
    });
    if (problems.length) {
      box.className = "pub-eligibility errors";
      box.dataset.eligible = "false";
      box.appendChild(
        list(
          problems.map(function (p) {
            // Say whose it is, unless the message already names them ("NIK calon suami: …").
            var who = whoLabel(p.who);
            var named = !who || p.message.toLowerCase().indexOf(who.toLowerCase()) !== -1;
            return (named ? "" : who + ": ") + p.message;
          })
        )
      );
    } else {
      box.className = "pub-eligibility pub-ok";
      box.dataset.eligible = "true";
      box.appendChild(paragraph(form.dataset.ok, false));
    }
    if (needs.length) {
      box.appendChild(paragraph(form.dataset.needsTitle, true));
      box.appendChild(list(needs));
    }
  }

  function check(complete) {
    if (!filled(complete)) return;
    var payload = JSON.stringify(body());
    if (payload === last) return;
    last = payload;
    var mine = ++asked;
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token) headers["X-CSRFToken"] = token.value;
    fetch(form.dataset.eligibilityUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: payload,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (result) {
        if (mine === asked) show(result);
      })
      .catch(function () {
        // Rate-limited or offline: say nothing; the server checks again on submit.
        if (mine === asked) {
          last = "";
          clear();
        }
      });
  }

  Object.keys(inputs).forEach(function (key) {
    var input = inputs[key];
    if (!input) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        check(false);
      }, 400);
    });
    input.addEventListener("change", function () {
      clearTimeout(timer);
      check(true);
    });
  });
})();
