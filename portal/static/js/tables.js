// On a phone, a table's rows become cards: each cell is labelled with its column's heading
// (data-label; concord.css shows it at widths up to 600px). Without this script, or for a table
// marked data-layout="grid" (reports, where columns are compared across rows), the table keeps
// its columns and scrolls inside its .table-wrap.
(function () {
  "use strict";

  function headings(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) { return null; }
    var out = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (th) {
      var text = th.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (th.colSpan || 1); i += 1) { out.push(i === 0 ? text : ""); }
    });
    return out;
  }

  function label(row, names) {
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      if (span >= names.length - 1 && names.length > 2) {
        cell.setAttribute("data-full", "");
      } else if (names[column]) {
        cell.setAttribute("data-label", names[column]);
      }
      column += span;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.table"), function (table) {
    if (table.getAttribute("data-layout") === "grid") { return; }
    var names = headings(table);
    if (!names) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) { label(row, names); });
    });
    if (table.tFoot) {
      Array.prototype.forEach.call(table.tFoot.rows, function (row) { label(row, names); });
    }
    table.classList.add("cards");
  });
}());

// A search form's filters fold behind a "Filters" toggle on a phone (concord.css); a browser
// without ::details-content cannot show the folded form on a wider screen by CSS alone, so the
// fold is opened there.
(function () {
  "use strict";
  if (!window.CSS || CSS.supports("selector(::details-content)")) { return; }
  if (!window.matchMedia("(min-width: 601px)").matches) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("details.filter-fold"), function (fold) {
    fold.open = true;
  });
}());

// A table a wide screen shows open under its chart (the reports' aging) starts folded on a
// phone, where its rows are long cards: the reader sees every chart, then opens one table.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 600px)").matches) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("details.open-wide"), function (fold) {
    fold.open = false;
  });
}());
