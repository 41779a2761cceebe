// Proposals: nothing is ticked by default (what is sent cannot be taken back). "Tick all"
// ticks the page's proposals; the count of ticked ones is shown, and approving none is
// refused here as the server refuses it without this script.
(function () {
  "use strict";
  var form = document.getElementById("approve-form");
  var all = document.getElementById("tick-all");
  var count = document.getElementById("ticked-count");
  var refused = document.getElementById("tick-first");
  if (!form || !all) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='action_ids']"));
  if (!boxes.length) { return; }

  function ticked() {
    return boxes.filter(function (b) { return b.checked; }).length;
  }

  function show() {
    var n = ticked();
    all.checked = n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
    if (count) {
      count.hidden = n === 0;
      count.textContent = n === 0 ? ""
        : " (" + (n === 1 ? count.dataset.one : count.dataset.many).replace("{n}", String(n)) + ")";
    }
    if (refused && n > 0) { refused.hidden = true; }
  }

  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
    show();
  });
  boxes.forEach(function (b) { b.addEventListener("change", show); });
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.id === "approve" && ticked() === 0) {
      event.preventDefault();
      if (refused) { refused.hidden = false; }
    }
  });
  show();
})();
