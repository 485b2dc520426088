// The import page's progress (templates/flemingsberg/admin/import_job.html): asks the server
// every two seconds how far the import is, and reloads the page once it has finished.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) {
    return;
  }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var running = ["checking", "importing"];
  function poll() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (running.indexOf(data.state) === -1) {
          window.location.reload();
          return;
        }
        bar.value = data.done;
        text.textContent = data.text;
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
