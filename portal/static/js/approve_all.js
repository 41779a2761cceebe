// Proposals: the progress of an "approve all" job (polled by job_progress.js).
(function () {
  "use strict";
  var count = document.getElementById("job-percent");
  var summary = document.getElementById("job-summary");
  var reload = document.getElementById("job-reload");
  window.ConcordJob.watch(
    function (job) {
      count.textContent = job.done + " / " + job.total;
      summary.textContent = job.summary;
    },
    function () { reload.hidden = false; }
  );
})();
