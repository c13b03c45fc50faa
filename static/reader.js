// The reader's behaviour on top of htmx: the entity panel's focus, closing and URL, the
// flash of a mention picked in the panel, and the highlight toggles. Everything here is
// an enhancement: links and checkboxes work without it.
(function () {
  "use strict";

  var opener = null; // the highlight that opened the panel, for focus on close

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

  function closePanel() {
    var box = panel();
    if (!box || !box.classList.contains("open")) return;
    var entity = openEntity();
    var empty = document.createElement("p");
    empty.className = "panel-empty";
    empty.textContent = box.getAttribute("data-empty-text");
    box.replaceChildren(empty);
    box.classList.remove("open");
    markSelected(null);
    // {htmx: true}: going back to the panel's URL is then restored by htmx (a reload).
    history.pushState({ htmx: true }, "", box.getAttribute("data-close-url"));
    var back = opener && document.contains(opener) ? opener : (entity && mentionsOf(entity)[0]);
    opener = null;
    if (back) back.focus();
  }

  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation when the same mention is picked twice
    el.classList.add("flash");
  }

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
    if (heading) heading.focus();
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

  document.addEventListener("DOMContentLoaded", function () {
    // Browsers restore checkbox states on back/forward; match the highlighting to them.
    document.querySelectorAll("[data-toggle-type]").forEach(applyToggle);
    // The text is the version's shared body: the open entity is marked here.
    markSelected(openEntity());
  });
})();

// Marking a missed name (issue 10): a selection in the article fills the panel's "Mark a
// missed name" form with its words and its offsets (passages.js makes them), so the name
// marked is the one selected; typing other words there marks their first occurrence.
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
  // A correction swaps the whole page in (HX-Location into <main>): keyboard focus goes
  // back to the panel's title, else to the page, rather than being lost on <body>.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "main") return;
    var title = document.getElementById("panel-title");
    (title || document.getElementById("main")).focus();
  });
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-mark]");
    if (form && event.target.name === "words") {
      form.elements.start.value = "";
      form.elements.end.value = "";
    }
  });
})();
