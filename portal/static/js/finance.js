// Finance workspace: poll an import job's progress (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var status = document.getElementById("job-status");
  var list = document.getElementById("job-files");

  function render(job) {
    bar.max = job.total || 1;
    bar.value = job.done;
    percent.textContent = job.percent + "%";
    status.textContent = job.status_label || job.status;
    status.className = "badge badge-" + job.status;
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

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        render(job);
        if (job.status === "queued" || job.status === "running") {
          window.setTimeout(poll, 700);
        } else {
          box.setAttribute("data-finished", job.status);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
})();
