/*
 * The screen in the room at the harvest session (templates/harvest/room.html).
 *
 * Without this file the page works: the list is rendered on the server and a link refreshes
 * it. With it, the page asks the state endpoint every few seconds whether anything changed,
 * sending the version it shows (If-None-Match): an unchanged list costs one small query and
 * an empty 304. When the list changed, the initiatives are updated in place (counts and
 * names), new ones are added from the page's <template>, and only the new initiatives are
 * announced through a polite live region. Every text the user sees comes from the page or
 * the server (data-* attributes, the JSON's labels), never from this file.
 */
(function () {
  "use strict";

  var board = document.querySelector("[data-room]");
  var template = document.querySelector("template[data-room-item]");
  if (!board || !template) {
    return;
  }
  var list = board.querySelector("[data-room-list]");
  var empty = board.querySelector("[data-room-empty]");
  var announcer = document.querySelector("[data-room-announcer]");
  var stateUrl = board.getAttribute("data-state-url");
  var pollMs = (parseInt(board.getAttribute("data-poll-seconds"), 10) || 5) * 1000;
  var version = board.getAttribute("data-version");

  function setField(item, name, text) {
    var field = item.querySelector('[data-field="' + name + '"]');
    if (field) {
      field.textContent = text;
      field.hidden = text === "";
    }
  }

  function fill(item, initiative) {
    item.setAttribute("data-initiative-id", String(initiative.id));
    setField(item, "title", initiative.title);
    setField(item, "count", initiative.count_label);
    setField(item, "description", initiative.description);
    setField(item, "names", initiative.names.join(", "));
  }

  function announce(titles) {
    if (!announcer || titles.length === 0) {
      return;
    }
    var text = titles
      .map(function (title) {
        return board.getAttribute("data-text-new").replace("__TITLE__", title);
      })
      .join(" ");
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 100);
  }

  function apply(state) {
    var keep = {};
    var added = [];
    state.initiatives.forEach(function (initiative, index) {
      var item = list.querySelector('[data-initiative-id="' + initiative.id + '"]');
      if (!item) {
        item = template.content.firstElementChild.cloneNode(true);
        item.classList.add("harvest-room-item-new");
        window.setTimeout(item.classList.remove.bind(item.classList, "harvest-room-item-new"), 15000);
        added.push(initiative.title);
      }
      fill(item, initiative);
      if (list.children[index] !== item) {
        list.insertBefore(item, list.children[index] || null);
      }
      keep[String(initiative.id)] = true;
    });
    Array.prototype.slice.call(list.children).forEach(function (item) {
      if (!keep[item.getAttribute("data-initiative-id")]) {
        list.removeChild(item);
      }
    });
    list.hidden = state.initiatives.length === 0;
    if (empty) {
      empty.hidden = state.initiatives.length > 0;
    }
    version = state.version;
    board.setAttribute("data-version", version);
    announce(added);
  }

  function poll() {
    fetch(stateUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "If-None-Match": '"' + version + '"' },
    })
      .then(function (response) {
        return response.status === 200 ? response.json() : null;
      })
      .then(function (state) {
        if (state && state.version !== version) {
          apply(state);
        }
      })
      .catch(function () {
        /* The next poll tries again. */
      })
      .then(function () {
        window.setTimeout(poll, pollMs);
      });
  }

  window.setTimeout(poll, pollMs);
})();
