// Passage links (issue 4): the "Copy link to passage" button for a selection, copying the
// links the page already has (paragraph, sentence, entity, shared passage), and scrolling
// a shared passage into view. Without JavaScript those links are plain links, and the
// passage is still marked by the server.
(function () {
  "use strict";


  function article() {
    return document.getElementById("article");
  }

  function absolute(url) {
    return new URL(url, window.location.href).href;
  }

  // --- copying -----------------------------------------------------------------------

  function writeClipboard(url) {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return Promise.resolve(false);
    return navigator.clipboard.writeText(url).then(function () { return true; },
                                                   function () { return false; });
  }

  // The status and fallback sit right after the control (inside `host` when given).
  function feedback(control, host) {
    var box = host || control.parentNode;
    var existing = box.querySelector(":scope > .copy-feedback");
    if (existing) existing.remove();
    var span = document.createElement("span");
    span.className = "copy-feedback";
    span.setAttribute("role", "status");
    if (host) host.appendChild(span); else control.after(span);
    return span;
  }

  function showCopied(control, host) {
    feedback(control, host).textContent = "Link copied";
  }

  // Where the clipboard is missing (a page over plain HTTP on another host) or refused:
  // the link in a field, selected, for the reader to copy.
  function showFallback(control, url, host) {
    var box = feedback(control, host);
    var label = document.createElement("label");
    label.className = "copy-fallback";
    label.textContent = "Copy this link: ";
    var field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = url;
    label.appendChild(field);
    box.appendChild(label);
    field.focus();
    field.select();
  }

  function copyLink(control, url, host) {
    return writeClipboard(url).then(function (copied) {
      if (copied) showCopied(control, host); else showFallback(control, url, host);
      return copied;
    });
  }

  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-copy-link], [data-make-link]");
    if (!control || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: the plain link
    }
    event.preventDefault();
    // Paragraph and sentence links copy and stay where the reader is (issue 16), with
    // "Link copied" beside them; a paragraph's link is made on demand (its href asks the
    // server for it).
    if (control.hasAttribute("data-make-link")) {
      madeLink(control.getAttribute("href")).then(function (url) {
        copyLink(control, url);
      }, function () { feedback(control).textContent = "No link can be made to this paragraph"; });
      return;
    }
    copyLink(control, absolute(control.getAttribute("href")));
  });

  function madeLink(endpoint) {
    return fetch(endpoint, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("no link for this passage");
        return response.json();
      })
      .then(function (data) { return absolute(data.url); });
  }

  // --- a selection: offsets in the stored text ----------------------------------------

  // Python counts code points, JavaScript strings UTF-16 units: an emoji is 1 and 2.
  function codePoints(text) {
    return Array.from(text).length;
  }

  // How many code points of the block's text come before (node, offset).
  function offsetIn(block, node, offset) {
    var before = document.createRange();
    before.selectNodeContents(block);
    before.setEnd(node, offset);
    return codePoints(before.toString());
  }

  // The selection as [start, end) offsets into the stored article text, or null. Each
  // block's text is exactly text[data-start:data-end]; parts of the selection outside
  // the blocks (the legend, the paragraph links, gaps between blocks) are left out.
  function selectedSpan(range) {
    var root = article();
    if (!root || !range.intersectsNode(root)) return null;
    var start = null, end = null;
    root.querySelectorAll(".block[data-start]").forEach(function (block) {
      if (!range.intersectsNode(block)) return;
      var blockStart = Number(block.getAttribute("data-start"));
      var length = codePoints(block.textContent);
      if (length !== Number(block.getAttribute("data-end")) - blockStart) return; // not verbatim
      var from = block.contains(range.startContainer) ? offsetIn(block, range.startContainer, range.startOffset) : 0;
      var to = block.contains(range.endContainer) ? offsetIn(block, range.endContainer, range.endOffset) : length;
      if (from >= to) return;
      if (start === null) start = blockStart + from;
      end = blockStart + to;
    });
    return start === null ? null : [start, end];
  }

  // Marking a missed name (issue 10, reader.js) turns a selection into offsets the same way.
  window.Dramatis = window.Dramatis || {};
  window.Dramatis.selectedSpan = selectedSpan;

  // --- the "Copy link to passage" button -----------------------------------------------

  var tool = null;      // the floating button, made once
  var made = {};        // links made by the server, by "start-end"
  var current = null;   // the span the button is for
  var timer = null;

  function makeTool() {
    tool = document.createElement("div");
    tool.className = "passage-tool";
    tool.hidden = true;
    // Outside <main> (which a correction swaps): a landmark of its own.
    tool.setAttribute("role", "region");
    tool.setAttribute("aria-label", "Selected text");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "passage-tool-copy";
    button.textContent = "Copy link to passage";
    // Keep the selection when the button is pressed.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () { copySelection(button); });
    tool.appendChild(button);
    if (window.Dramatis.canMark && window.Dramatis.canMark()) addMarkControls(tool);
    tool.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hideTool();
    });
    document.body.appendChild(tool);
    return tool;
  }

  // For an editor: "Mark as a name", then the type, chosen rather than assumed (issue 16).
  var TYPES = [["person", "Person"], ["organization", "Organisation"], ["country", "Country"], ["place", "Place"]];

  function addMarkControls(box) {
    var mark = document.createElement("button");
    mark.type = "button";
    mark.className = "passage-tool-mark";
    mark.textContent = "Mark as a name";
    mark.setAttribute("aria-expanded", "false");
    var choices = document.createElement("span");
    choices.className = "passage-tool-types";
    choices.setAttribute("role", "group");
    choices.setAttribute("aria-label", "The name is a");
    choices.hidden = true;
    TYPES.forEach(function (pair) {
      var choice = document.createElement("button");
      choice.type = "button";
      choice.setAttribute("data-mark-type", pair[0]);
      choice.textContent = pair[1];
      choice.addEventListener("mousedown", function (event) { event.preventDefault(); });
      choice.addEventListener("click", function () {
        if (!current) return;
        var words = window.getSelection().toString().trim();
        window.Dramatis.markSelection(current, words, pair[0]);
        hideTool();
      });
      choices.appendChild(choice);
    });
    mark.addEventListener("mousedown", function (event) { event.preventDefault(); });
    mark.addEventListener("click", function () {
      choices.hidden = !choices.hidden;
      mark.setAttribute("aria-expanded", choices.hidden ? "false" : "true");
    });
    box.appendChild(mark);
    box.appendChild(choices);
  }

  function hideTool() {
    if (tool) tool.hidden = true;
    current = null;
  }

  function fetchLink(span) {
    var key = span[0] + "-" + span[1];
    if (!made[key]) {
      var url = new URL(article().getAttribute("data-link-url"), window.location.href);
      url.searchParams.set("start", span[0]);
      url.searchParams.set("end", span[1]);
      made[key] = fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("no link for this selection");
          return response.json();
        })
        .then(function (data) {
          made[key].url = absolute(data.url);
          return made[key].url;
        });
      made[key].catch(function () { delete made[key]; });
    }
    return made[key];
  }

  function copySelection(button) {
    if (!current) return;
    var pending = fetchLink(current);
    // The link is usually made already (fetched when the button appeared): copy at once,
    // inside the click, as browsers that ask for a user gesture want.
    if (pending.url) {
      copyLink(button, pending.url, tool);
      return;
    }
    pending.then(function (url) { copyLink(button, url, tool); },
                 function () { feedback(button, tool).textContent = "No link can be made to this selection"; });
  }

  function placeTool(range) {
    var rects = range.getClientRects();
    var last = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    tool.hidden = false;
    var width = tool.offsetWidth;
    var left = Math.min(last.right + window.scrollX - width / 2,
                        document.documentElement.clientWidth + window.scrollX - width - 8);
    tool.style.left = Math.max(window.scrollX + 8, left) + "px";
    tool.style.top = (last.bottom + window.scrollY + 6) + "px";
  }

  function selectionChanged() {
    if (tool && tool.contains(document.activeElement)) return; // the fallback field is in use
    var selection = window.getSelection();
    if (!selection || !selection.rangeCount || selection.isCollapsed) {
      hideTool();
      return;
    }
    var range = selection.getRangeAt(0);
    var span = selectedSpan(range);
    if (!span) {
      hideTool();
      return;
    }
    if (!current || current[0] !== span[0] || current[1] !== span[1]) {
      if (!tool) makeTool();
      var old = tool.querySelector(".copy-feedback");
      if (old) old.remove();
      var types = tool.querySelector(".passage-tool-types");
      if (types) {
        types.hidden = true;
        tool.querySelector(".passage-tool-mark").setAttribute("aria-expanded", "false");
      }
      current = span;
      tool.setAttribute("data-start", span[0]); // what the button is for, for tests
      tool.setAttribute("data-end", span[1]);
      fetchLink(span).catch(function () { if (current === span) hideTool(); });
    }
    placeTool(range);
  }

  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(selectionChanged, 120);
  });

  // --- a shared passage, opened ------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    var first = document.querySelector("#article .passage");
    var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    var returning = navigation && (navigation.type === "reload" || navigation.type === "back_forward");
    // The link's fragment is the Text Fragment (browsers hide it from location.hash), so
    // the passage is brought into view here; CSS scroll-margin-top leaves room above it.
    // A reload or the back button keeps the reader's own scroll position instead.
    if (first && !window.location.hash && !returning) first.scrollIntoView({ block: "start" });
  });
})();
