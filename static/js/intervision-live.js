/*
 * The live intervision guide (templates/intervision/live/guide.html).
 *
 * Without this file the page works: the state is rendered on the server and the buttons
 * are plain forms. With it, the countdown ticks every second, and the page asks the state
 * endpoint every few seconds whether the facilitator moved on; when the state's version
 * changed, the guide section is fetched again and swapped in, and the new step is announced
 * once through a polite live region. The ticking clock itself is hidden from screen readers;
 * their text says the minutes left and changes at most once a minute, without being announced.
 * Every text the user sees comes from the page (data-* attributes), never from this file.
 */
(function () {
  "use strict";

  var guide = document.querySelector("[data-live-guide]");
  if (!guide) {
    return;
  }
  var announcer = document.querySelector("[data-live-announcer]");
  var banner = document.querySelector("[data-live-banner]");
  var stateUrl = guide.getAttribute("data-state-url");
  var pollMs = (parseInt(guide.getAttribute("data-poll-seconds"), 10) || 5) * 1000;
  var version = guide.getAttribute("data-version");
  var deadline = null;
  var lastMinutes = null;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function minutesText(seconds) {
    if (seconds <= 0) {
      return guide.getAttribute("data-text-up");
    }
    var minutes = Math.ceil(seconds / 60);
    if (minutes === 1) {
      return guide.getAttribute("data-text-minute");
    }
    return guide.getAttribute("data-text-minutes").replace("__N__", String(minutes));
  }

  function setDeadline(secondsLeft) {
    deadline = secondsLeft === null || isNaN(secondsLeft) ? null : Date.now() + secondsLeft * 1000;
    lastMinutes = null;
    tick();
  }

  function tick() {
    var timer = guide.querySelector("[data-live-timer]");
    if (!timer || deadline === null) {
      return;
    }
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var clock = timer.querySelector("[data-live-clock]");
    var text = timer.querySelector("[data-live-clock-text]");
    clock.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    timer.classList.toggle("live-timer-up", left === 0);
    var minutes = left <= 0 ? 0 : Math.ceil(left / 60);
    if (minutes !== lastMinutes) {
      lastMinutes = minutes;
      text.textContent = minutesText(left);
    }
  }

  function readTimer() {
    var timer = guide.querySelector("[data-live-timer]");
    setDeadline(timer ? parseInt(timer.getAttribute("data-seconds-left"), 10) : null);
  }

  function hasTypedText() {
    var fields = guide.querySelectorAll("textarea, input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() !== "" && fields[i].value !== fields[i].defaultValue) {
        return true;
      }
    }
    return false;
  }

  function announce(newGuide) {
    var message = newGuide.querySelector("[data-live-announcement]");
    if (announcer && message) {
      announcer.textContent = "";
      window.setTimeout(function () {
        announcer.textContent = message.textContent;
      }, 100);
    }
  }

  function swap() {
    return fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-live-guide]");
        if (!fresh) {
          return;
        }
        guide.innerHTML = fresh.innerHTML;
        version = fresh.getAttribute("data-version");
        guide.setAttribute("data-version", version);
        if (banner) {
          banner.hidden = true;
        }
        readTimer();
        announce(fresh);
      });
  }

  function poll() {
    fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) {
          return;
        }
        if (state.version !== version) {
          if (hasTypedText()) {
            // Do not throw away what someone is typing: offer the new step instead.
            if (banner && banner.hidden) {
              banner.hidden = false;
            }
            return;
          }
          return swap();
        }
        if (state.seconds_left !== null) {
          setDeadline(state.seconds_left);
        }
      })
      .catch(function () {
        /* The next poll tries again. */
      })
      .then(function () {
        window.setTimeout(poll, pollMs);
      });
  }

  if (banner) {
    var show = banner.querySelector("[data-live-show]");
    if (show) {
      show.addEventListener("click", function () {
        swap();
      });
    }
  }

  readTimer();
  window.setInterval(tick, 1000);
  window.setTimeout(poll, pollMs);
})();
