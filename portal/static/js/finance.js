// Bank uploads: each file's outcome as an import job goes on (polled by job_progress.js).
(function () {
  "use strict";
  var percent = document.getElementById("job-percent");
  var list = document.getElementById("job-files");

  function render(job) {
    percent.textContent = job.percent + "%";
    list.textContent = "";
    job.files.forEach(function (f) {
      var li = document.createElement("li");
      var counts = f.counts_text;
      li.textContent = f.name + ": " + (f.status_label || f.status) + " · " + f.transactions + (counts ? " (" + counts + ")" : "");
      f.errors.forEach(function (e) {
        var err = document.createElement("div");
        err.className = "error small";
        err.textContent = e;
        li.appendChild(err);
      });
      list.appendChild(li);
    });
    job.files.forEach(function (f) {
      var row = document.querySelector("tr[data-file-id='" + f.file_id + "']");
      if (!row) { return; }
      var count = row.querySelector(".js-count");
      var badge = row.querySelector(".js-status .badge");
      if (count) { count.textContent = String(f.transactions); }
      if (badge) { badge.textContent = f.status_label || f.status; badge.className = "badge badge-" + f.status; }
    });
    if (job.error) {
      var p = document.createElement("li");
      p.className = "error";
      p.textContent = job.error;
      list.appendChild(p);
    }
  }

  window.ConcordJob.watch(render);
})();
