/*
 * The status page of the harvest report's PDF (templates/harvest/report_export.html).
 *
 * Without this file the page works: it shows the state it was rendered in and a link to
 * refresh it. With it, the page asks the state endpoint every two seconds while the PDF is
 * being made, then shows the part for the new state (the download link, or the message that
 * it failed) and announces "ready" through a polite live region. When the export has expired
 * meanwhile (404), it stops asking and shows the refresh link again. Every text the user sees
 * comes from the page (data-* attributes), never from this file.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-report-export]");
  if (!box) {
    return;
  }
  var announcer = document.querySelector("[data-export-announcer]");
  var stateUrl = box.getAttribute("data-state-url");
  var status = box.getAttribute("data-status");
  var pollMs = 2000;
  var refresh = box.querySelector("[data-export-refresh]");
  if (refresh) {
    refresh.hidden = true;
  }

  function show(newStatus) {
    status = newStatus;
    box.setAttribute("data-status", status);
    Array.prototype.forEach.call(box.querySelectorAll("[data-when]"), function (part) {
      part.hidden = part.getAttribute("data-when") !== status;
    });
    if (status === "ready" && announcer) {
      announcer.textContent = "";
      window.setTimeout(function () {
        announcer.textContent = box.getAttribute("data-text-ready");
      }, 100);
    }
  }

  function poll() {
    fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) {
          /* Expired or deleted: stop asking, offer the refresh link that shows why. */
          status = "gone";
          if (refresh) {
            refresh.hidden = false;
          }
        }
        return response.status === 200 ? response.json() : null;
      })
      .then(function (state) {
        if (state && state.status !== status) {
          show(state.status);
        }
      })
      .catch(function () {
        /* The next poll tries again. */
      })
      .then(function () {
        if (status === "pending") {
          window.setTimeout(poll, pollMs);
        }
      });
  }

  if (status === "pending") {
    window.setTimeout(poll, pollMs);
  }
})();
