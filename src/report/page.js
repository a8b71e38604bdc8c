// Click a matrix cell to pin where its value is set; the tooltip says the
// same on hover.
(function () {
  "use strict";
  var where = document.getElementById("where");
  var table = document.querySelector("table.matrix");
  if (!where || !table) {
    return;
  }
  // The hint is shown only once clicking works.
  where.hidden = false;
  table.classList.add("interactive");
  table.addEventListener("click", function (event) {
    var cell = event.target.closest("td.cell");
    if (!cell) {
      return;
    }
    var pinned = table.querySelector("td.pinned");
    if (pinned) {
      pinned.classList.remove("pinned");
    }
    cell.classList.add("pinned");
    where.textContent = cell.title;
  });
})();
