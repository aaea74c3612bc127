/* pia report: sortable and filterable tables. No libraries, no network, and this script never
   writes markup: report text reaches the page only through the escaped HTML around it. */
(function () {
  "use strict";
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var value = cell.getAttribute("data-value");
    return value !== null ? value : cell.textContent.trim();
  }
  function sortBy(table, th, index) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    each(table.tHead.rows[0].cells, function (other) { other.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var numeric = th.getAttribute("data-type") === "number";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    each(rows, function (row) { body.appendChild(row); });
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    each(table.tHead.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      th.addEventListener("click", function () { sortBy(table, th, index); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, th, index); }
      });
    });
  });
  function applyFilters(tableId) {
    var table = document.getElementById(tableId);
    if (!table) { return; }
    var controls = document.querySelectorAll("[data-filter-for='" + tableId + "']");
    var shown = 0;
    each(table.tBodies[0].rows, function (row) {
      var visible = true;
      each(controls, function (control) {
        var wanted = control.value.trim().toLowerCase();
        if (!wanted) { return; }
        var field = control.getAttribute("data-field");
        var have = field ? (row.getAttribute("data-" + field) || "") : row.textContent.toLowerCase();
        if (field ? have !== wanted : have.indexOf(wanted) < 0) { visible = false; }
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    each(document.querySelectorAll("[data-shown-for='" + tableId + "']"), function (out) {
      out.textContent = String(shown);
    });
  }
  each(document.querySelectorAll("[data-filter-for]"), function (control) {
    var tableId = control.getAttribute("data-filter-for");
    control.addEventListener("input", function () { applyFilters(tableId); });
    control.addEventListener("change", function () { applyFilters(tableId); });
  });
}());
