// The media page: drag an item onto a folder to move it, and confirm before deleting a folder.
// Everything also works without script (each item has a move menu); this only saves clicks.
(function () {
  "use strict";
  var root = document.querySelector("[data-media-page]");
  if (!root) return;
  var page = root.getAttribute("data-media-page");
  var tokenInput = document.querySelector("input[name=__RequestVerificationToken]");
  var token = tokenInput ? tokenInput.value : "";

  function move(mediaId, folderId) {
    var body = new FormData();
    body.append("mediaId", mediaId);
    body.append("folderId", folderId || "0");
    return fetch(page + "?handler=Move", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "RequestVerificationToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) throw new Error(json.error || ("HTTP " + response.status));
        return json;
      });
    });
  }

  function status(message, isError) {
    var p = document.createElement("p");
    p.className = isError ? "error" : "notice";
    p.setAttribute("role", isError ? "alert" : "status");
    p.textContent = message;
    root.insertBefore(p, root.children[1] || null);
  }

  document.querySelectorAll("[data-media-id]").forEach(function (item) {
    item.addEventListener("dragstart", function (e) {
      e.dataTransfer.setData("text/plain", item.getAttribute("data-media-id"));
      e.dataTransfer.effectAllowed = "move";
      item.classList.add("dragging");
    });
    item.addEventListener("dragend", function () { item.classList.remove("dragging"); });
  });

  document.querySelectorAll("[data-folder-drop]").forEach(function (target) {
    var folderId = target.getAttribute("data-folder-drop");
    // "All media" is not a place to move to.
    if (folderId === "") return;
    target.addEventListener("dragover", function (e) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      target.classList.add("drop-target");
    });
    target.addEventListener("dragleave", function () { target.classList.remove("drop-target"); });
    target.addEventListener("drop", function (e) {
      e.preventDefault();
      target.classList.remove("drop-target");
      var mediaId = e.dataTransfer.getData("text/plain");
      if (!/^[0-9]+$/.test(mediaId)) return;
      move(mediaId, folderId).then(function () { window.location.reload(); }, function (err) { status(err.message, true); });
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
})();
