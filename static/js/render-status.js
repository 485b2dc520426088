// A PDF render's page (templates/flemingsberg/admin/render_job.html): asks the server every
// three seconds how the render is going, updates the status line (role=status, so screen
// readers hear it) and reloads the page once the PDF is ready or has failed.
(function () {
  "use strict";
  var box = document.getElementById("render-job");
  if (!box) {
    return;
  }
  var text = document.getElementById("render-job-status");
  function poll() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.pending) {
          window.location.reload();
          return;
        }
        if (text.textContent !== data.text) {
          text.textContent = data.text;
        }
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
})();
