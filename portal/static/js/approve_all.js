// Proposals: poll an "approve all" job's progress (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.hasAttribute("data-finished")) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-percent");
  var status = document.getElementById("job-status");
  var summary = document.getElementById("job-summary");
  var reload = document.getElementById("job-reload");

  function render(job) {
    bar.max = job.total || 1;
    bar.value = job.done;
    count.textContent = job.done + " / " + job.total;
    status.textContent = job.status_label || job.status;
    status.className = "badge badge-" + job.status;
    summary.textContent = job.summary;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        render(job);
        if (job.finished) {
          box.setAttribute("data-finished", job.status);
          reload.hidden = false;
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
