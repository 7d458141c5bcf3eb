// The post editor's warning before leaving with unsaved changes. The editor works without this script; it only asks
// the browser to confirm when the form differs from what the page was loaded with (or last previewed).
(function () {
  "use strict";

  var form = document.querySelector("form[data-unsaved-warning]");
  if (!form) return;

  function snapshot() {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") parts.push(el.name + "=" + el.value + ":" + el.checked);
      else parts.push(el.name + "=" + el.value);
    });
    return parts.join("\u0000");
  }

  var saved = snapshot();
  var submitting = false;

  // Saving or previewing is leaving on purpose: the form's contents go with it.
  form.addEventListener("submit", function () { submitting = true; });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || snapshot() === saved) return;
    event.preventDefault();
    // Older browsers show the dialog only when a value is returned.
    event.returnValue = "";
  });
})();
