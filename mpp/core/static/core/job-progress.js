// A background job's progress bar (templates/core/_job.html): polls GET /api/v1/jobs/{id} and
// moves the bar; when the job ends, the page reloads so the server shows its outcome. A static
// file, as the site's CSP allows no inline script.
(function () {
  "use strict";
  const box = document.querySelector("[data-job]");
  if (!box) return;
  const status = box.dataset.jobStatus;
  if (status === "done" || status === "failed") return;
  const bar = box.querySelector("[data-job-bar]");
  const label = box.querySelector("[data-job-status-label]");
  const message = box.querySelector("[data-job-message]");
  let delay = 500;

  function show(job) {
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.progress;
      bar.textContent = job.progress + "/" + job.total;
    }
    label.textContent = job.status_label;
    message.textContent = job.message;
  }

  function poll() {
    fetch(box.dataset.job, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.3, 3000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // the server restarting, a network gap: try again
      });
  }
  window.setTimeout(poll, delay);
})();
