// Small conveniences for the server's forms. Every form works without this script; it only fills in and checks
// what a browser knows better than the server.
(function () {
  "use strict";

  // A time-zone list left at its default takes the browser's own zone, when the list has it.
  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    if (select.value !== "UTC") return;
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (zone && Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) select.value = zone;
  });

  // A group of check boxes of which at least one must be ticked (HTML's `required` is per box); the server checks again.
  document.querySelectorAll("fieldset[data-require-one]").forEach(function (group) {
    var boxes = group.querySelectorAll("input[type=checkbox]");
    if (boxes.length === 0) return;
    var message = group.getAttribute("data-require-one");
    function check() {
      var any = Array.prototype.some.call(boxes, function (b) { return b.checked; });
      boxes[0].setCustomValidity(any ? "" : message);
    }
    boxes.forEach(function (b) { b.addEventListener("change", check); });
    check();
  });
})();
