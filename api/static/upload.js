// The upload job's page: poll its status (JSON) and show the steps; open the review when
// it is ready. Without JavaScript the "Check progress" link does the same by a reload.
(function () {
  "use strict";
  var box = document.getElementById("job-status");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.status, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.state === "ready") { window.location.assign(box.dataset.review); return; }
        var list = box.querySelector("ol.steps");
        list.textContent = "";
        status.steps.forEach(function (step) {
          var item = document.createElement("li");
          item.textContent = step.description + " (" + step.seconds + " s)";
          list.appendChild(item);
        });
        box.querySelector(".state strong").textContent = status.description;
        if (status.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
