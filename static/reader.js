// The reader's behaviour on top of htmx: the entity panel's focus, closing and URL, the
// phone's bottom sheet, the flash of a mention picked in the panel, the highlight toggles,
// and corrections made in place (issue 16). Everything here is an enhancement: links,
// forms and checkboxes work without it.
(function () {
  "use strict";

  var opener = null; // the highlight that opened the panel, for focus on close
  var SHEET = window.matchMedia("(max-width: 48rem)"); // the panel is a bottom sheet

  function panel() {
    return document.getElementById("panel");
  }

  function openEntity() {
    var section = panel() && panel().querySelector(".entity-panel");
    return section ? section.getAttribute("data-entity") : null;
  }

  function mentionsOf(entity) {
    return document.querySelectorAll('#article .mention[data-entity="' + CSS.escape(entity) + '"]');
  }

  function markSelected(entity) {
    document.querySelectorAll("#article .mention.selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    if (entity) {
      mentionsOf(entity).forEach(function (el) { el.classList.add("selected"); });
    }
  }

  function inView(el) {
    var box = el.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }

  // Closing leaves the reader where they are reading (issue 16): focus goes back to the
  // name that opened the panel, or one of its names in view, without scrolling to it.
  function closePanel() {
    var box = panel();
    if (!box || !box.classList.contains("open")) return;
    var entity = openEntity();
    var empty = document.createElement("p");
    empty.className = "panel-empty";
    empty.textContent = box.getAttribute("data-empty-text");
    box.replaceChildren(empty);
    box.classList.remove("open");
    sheetHeight(null);
    markSelected(null);
    // {htmx: true}: going back to the panel's URL is then restored by htmx (a reload).
    history.pushState({ htmx: true }, "", box.getAttribute("data-close-url"));
    var back = opener && document.contains(opener) && inView(opener) ? opener : null;
    if (!back && entity) back = Array.prototype.find.call(mentionsOf(entity), inView) || null;
    opener = null;
    (back || document.getElementById("article") || document.body).focus({ preventScroll: true });
  }

  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation when the same mention is picked twice
    el.classList.add("flash");
  }

  // --- the bottom sheet on a phone -----------------------------------------------------

  // It opens at about 40% of the screen, can be dragged taller (or shorter) by its header,
  // and closes on a downward swipe or a tap outside it.
  function sheetHeight(vh) {
    var root = document.documentElement;
    if (vh === null) root.style.removeProperty("--sheet-height");
    else root.style.setProperty("--sheet-height", vh + "vh");
  }

  var drag = null;

  document.addEventListener("pointerdown", function (event) {
    var header = event.target.closest("#panel.open .panel-header");
    if (!SHEET.matches || !header || event.target.closest("a, button, input, select")) return;
    drag = { y: event.clientY, height: panel().getBoundingClientRect().height, moved: false };
    header.setPointerCapture(event.pointerId);
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var height = drag.height + (drag.y - event.clientY);
    if (Math.abs(drag.y - event.clientY) > 4) drag.moved = true;
    sheetHeight(Math.max(15, Math.min(90, 100 * height / window.innerHeight)));
  });
  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    var pulled = event.clientY - drag.y;
    var was = drag;
    drag = null;
    // A swipe down of a fifth of the sheet or more closes it.
    if (was.moved && pulled > was.height / 5) closePanel();
  });
  document.addEventListener("pointercancel", function () { drag = null; });

  // A tap on the page outside the open sheet closes it; a tap on a name opens that one's.
  document.addEventListener("click", function (event) {
    var box = panel();
    if (!SHEET.matches || !box || !box.classList.contains("open")) return;
    if (box.contains(event.target) || event.target.closest("a, button, input, select, label, summary, .passage-tool, .announcement")) return;
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // selecting text, not tapping away
    closePanel();
  });

  // --- opening -------------------------------------------------------------------------

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.matches && event.detail.elt.matches(".mention")) opener = event.detail.elt;
  });

  // A highlight's href ends in #mention-ID, so that without JavaScript the page lands at
  // the name; htmx would scroll that name to the top after swapping the panel in, and put
  // the fragment in the address bar.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target === panel() && event.detail.pathInfo) event.detail.pathInfo.anchor = null;
  });
  document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    var history = event.detail.history;
    if (event.detail.target === panel() && history && history.path) {
      history.path = history.path.replace(/#mention-[^#]*$/, "");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = panel();
    if (event.detail.target !== box) return;
    box.classList.add("open");
    markSelected(openEntity());
    // On a phone the sheet now covers the lower part of the page: bring the name that
    // opened it above the sheet (the stylesheet's scroll-padding marks that part; on a
    // desktop the name is already in view and nothing moves).
    if (opener && document.contains(opener)) opener.scrollIntoView({ block: "nearest" });
    var heading = box.querySelector("#panel-title, .panel-error");
    if (heading) heading.focus({ preventScroll: true });
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-panel]");
    if (close) {
      event.preventDefault();
      closePanel();
      return;
    }
    var goto = event.target.closest("[data-goto-mention]");
    if (goto) {
      var mention = document.getElementById("mention-" + goto.getAttribute("data-goto-mention"));
      if (!mention) return; // let the link load the page instead
      event.preventDefault();
      var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      mention.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
      mention.focus({ preventScroll: true });
      flash(mention);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.defaultPrevented) closePanel();
  });

  function applyToggle(input) {
    var article = document.getElementById("article");
    if (article) article.classList.toggle("hide-" + input.getAttribute("data-toggle-type"), !input.checked);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-toggle-type]")) applyToggle(event.target);
  });

  function pageReady() {
    // Browsers restore checkbox states on back/forward; match the highlighting to them.
    document.querySelectorAll("[data-toggle-type]").forEach(applyToggle);
    // The text is the version's shared body: the open entity is marked here.
    var entity = openEntity();
    markSelected(entity);
    enhancePanel();
    // An article opened with the panel open: on a phone its first name must not sit
    // under the sheet (scroll-padding keeps the part the sheet covers out of "nearest").
    var first = entity && !window.location.hash && mentionsOf(entity)[0];
    if (first && SHEET.matches && !document.querySelector("#article .passage")) {
      first.scrollIntoView({ block: "nearest" });
    }
  }

  document.addEventListener("DOMContentLoaded", pageReady);

  // --- the panel's corrections (issue 16) ---------------------------------------------

  var HINT_SEEN = "dramatis:desk-hint-seen";

  // The header's Correct: a link to the corrections without JavaScript, a toggle with it.
  function setCorrecting(on) {
    var section = document.querySelector("#panel .entity-panel");
    var toggle = section && section.querySelector("[data-correct-toggle]");
    if (!toggle) return;
    section.classList.toggle("correcting", on);
    toggle.setAttribute("aria-expanded", on ? "true" : "false");
  }

  function enhancePanel() {
    var toggle = document.querySelector("#panel [data-correct-toggle]");
    if (toggle) {
      toggle.setAttribute("role", "button");
      toggle.setAttribute("aria-expanded", "false");
    }
    document.querySelectorAll("#panel [data-filter-list]").forEach(function (field) {
      field.closest("label").hidden = false;
    });
    var seen = false;
    try { seen = localStorage.getItem(HINT_SEEN) === "1"; } catch (e) { /* no storage */ }
    document.querySelectorAll("#panel [data-desk-hint]").forEach(function (hint) {
      if (seen) hint.hidden = true;
      hint.querySelectorAll("[data-dismiss-hint]").forEach(function (button) { button.hidden = false; });
    });
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target === panel()) enhancePanel();
  });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-correct-toggle]");
    if (toggle) {
      event.preventDefault();
      var on = toggle.getAttribute("aria-expanded") !== "true";
      setCorrecting(on);
      if (on) {
        var region = document.getElementById("panel-corrections");
        region.scrollIntoView({ block: "nearest" });
        var first = region.querySelector("select, input:not([type=hidden])");
        if (first) first.focus();
      }
      return;
    }
    var dismiss = event.target.closest("[data-dismiss-hint]");
    if (dismiss) {
      try { localStorage.setItem(HINT_SEEN, "1"); } catch (e) { /* shown again next time */ }
      dismiss.closest("[data-desk-hint]").hidden = true;
      var region = document.getElementById("panel-corrections");
      if (region) region.focus();
    }
  });

  // The "Same as..." filter: the list narrows to the names holding what is typed.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-filter-list]")) return;
    var list = document.getElementById(field.getAttribute("data-filter-list"));
    var words = field.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    list.querySelectorAll("li[data-name]").forEach(function (item) {
      var name = item.getAttribute("data-name").toLocaleLowerCase();
      var match = words.every(function (word) { return name.indexOf(word) >= 0; });
      item.hidden = !match;
      if (match) shown++;
    });
    var none = list.parentNode.querySelector(".same-as-none");
    if (none) none.hidden = shown > 0;
  });

  // A correction swaps the new page's <main> in (HX-Location): the reader stays where
  // they were, the panel scrolled as it was, with focus on the control they used (or,
  // when it is gone, on the announcement's Undo), and the corrections still open.
  var kept = null;

  function focusKey(el) {
    if (!el || el === document.body) return null;
    return el.getAttribute("data-focus-key") ? '[data-focus-key="' + CSS.escape(el.getAttribute("data-focus-key")) + '"]'
      : el.id ? "#" + CSS.escape(el.id) : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "main") return;
    var box = panel();
    kept = {
      x: window.scrollX, y: window.scrollY,
      panelTop: box ? box.scrollTop : 0,
      focus: focusKey(document.activeElement),
      correcting: !!document.querySelector("#panel .entity-panel.correcting"),
      entity: openEntity(),
      filter: (document.querySelector("#panel [data-filter-list]") || {}).value || "",
      sheet: document.documentElement.style.getPropertyValue("--sheet-height"),
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "main") return;
    pageReady();
    var state = kept;
    kept = null;
    var box = panel();
    if (!state) return;
    window.scrollTo(state.x, state.y);
    var same = state.entity && state.entity === openEntity();
    if (state.correcting && openEntity()) setCorrecting(true);
    if (state.sheet && box && box.classList.contains("open")) document.documentElement.style.setProperty("--sheet-height", state.sheet);
    if (box && same) box.scrollTop = state.panelTop;
    var field = document.querySelector("#panel [data-filter-list]");
    if (field && state.filter && same) {
      field.value = state.filter;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var target = state.focus && document.querySelector(state.focus);
    if (!target || target.closest("[hidden]")) target = document.querySelector(".announcement button");
    if (!target) target = document.getElementById("panel-title") || document.getElementById("main");
    target.focus({ preventScroll: true });
  });

  // --- the announcement of what changed, with its Undo ------------------------------

  function token() {
    var field = document.querySelector('input[name="csrf_token"]');
    return field ? field.value : null;
  }

  function announce(detail) {
    var box = document.querySelector("[data-announcement]");
    if (!box) return;
    var text = box.querySelector(".announcement-text");
    var actions = box.querySelector(".announcement-actions");
    actions.replaceChildren();
    (detail.actions || []).forEach(function (action) {
      var form = document.createElement("form");
      form.method = "post";
      form.action = action.url;
      form.setAttribute("hx-post", action.url);
      var fields = Object.assign({}, action.fields || {});
      if (token()) fields.csrf_token = token();
      if (openEntity() && !fields.entity) fields.entity = openEntity();
      Object.keys(fields).forEach(function (name) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = fields[name];
        form.appendChild(input);
      });
      var button = document.createElement("button");
      button.type = "submit";
      button.textContent = action.label;
      form.appendChild(button);
      actions.appendChild(form);
      if (window.htmx) window.htmx.process(form);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.className = "announcement-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () {
      text.textContent = "";
      actions.replaceChildren();
      box.classList.remove("shown");
    });
    actions.appendChild(close);
    // Emptied first, so that the same words said twice are announced twice.
    text.textContent = "";
    box.classList.add("shown");
    setTimeout(function () { text.textContent = detail.message; }, 50);
  }

  document.addEventListener("dramatis:announce", function (event) {
    announce(event.detail || {});
  });
})();

// Marking a missed name (issue 10): a selection in the article fills the panel's "Mark a
// missed name" form with its words and its offsets (passages.js makes them), so the name
// marked is the one selected; typing other words there marks their first occurrence.
// passages.js's "Mark as a name" beside "Copy link to passage" sends that form (issue 16).
(function () {
  "use strict";

  var timer = null;

  function fill() {
    var form = document.querySelector("form[data-mark]");
    var selection = window.getSelection();
    if (!form || !window.Dramatis || !selection || !selection.rangeCount || selection.isCollapsed) return;
    if (form.contains(document.activeElement)) return; // the editor is typing there
    var span = window.Dramatis.selectedSpan(selection.getRangeAt(0));
    if (!span) return;
    form.elements.words.value = selection.toString().trim();
    form.elements.start.value = span[0];
    form.elements.end.value = span[1];
  }

  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(fill, 150);
  });
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-mark]");
    if (form && event.target.name === "words") {
      form.elements.start.value = "";
      form.elements.end.value = "";
    }
  });

  window.Dramatis = window.Dramatis || {};
  // Mark the selection (offsets from passages.js) as a name of the type chosen.
  window.Dramatis.markSelection = function (span, words, type) {
    var form = document.querySelector("form[data-mark]");
    if (!form) return false;
    form.elements.words.value = words;
    form.elements.start.value = span[0];
    form.elements.end.value = span[1];
    form.elements.value.value = type;
    if (form.elements.every) form.elements.every.checked = false;
    form.requestSubmit();
    return true;
  };
  window.Dramatis.canMark = function () {
    return !!document.querySelector("form[data-mark]");
  };
})();
