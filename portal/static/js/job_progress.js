// Poll a background job into the page's #job box (no inline scripts: the CSP forbids them).
// The box carries the job's JSON address (data-status-url) and holds #job-progress and
// #job-status; a page's own script passes render(job) for the rest and finished(job) for when
// it is done or failed. A box already marked data-finished is not polled.
window.ConcordJob = (function () {
  "use strict";

  function watch(render, finished) {
    var box = document.getElementById("job");
    if (!box || box.hasAttribute("data-finished")) { return; }
    var url = box.getAttribute("data-status-url");
    var bar = document.getElementById("job-progress");
    var status = document.getElementById("job-status");

    function show(job) {
      bar.max = job.total || 1;
      bar.value = job.done;
      status.textContent = job.status_label || job.status;
      status.className = "badge badge-" + job.status;
      render(job);
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          show(job);
          if (job.status === "queued" || job.status === "running") {
            window.setTimeout(poll, 700);
          } else {
            box.setAttribute("data-finished", job.status);
            if (finished) { finished(job); }
          }
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    }
    poll();
  }

  return { watch: watch };
})();
